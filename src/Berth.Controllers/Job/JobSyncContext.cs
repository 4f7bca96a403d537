using System.Text.Json.Nodes;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.Controllers.Job;

/// <summary>
/// What one sync of one Job computed so far: the mutable copy of the Job (its status is rewritten in place), the
/// claimed pods, the counters including pods not yet flushed to the status, and the condition the Job is heading
/// for. Created per sync; not shared between threads. Mirrors kubernetes/kubernetes pkg/controller/job/job_controller.go (syncJobCtx).
/// </summary>
internal sealed class JobSyncContext
{
    public required ObjectKey Key { get; init; }

    /// <summary>The Job being synced; replaced by the object each status write returns.</summary>
    public required JsonObject Job { get; set; }

    public required IReadOnlyList<V1Pod> Pods { get; init; }

    public required IReadOnlyList<V1Pod> ActivePods { get; init; }

    /// <summary>UIDs recorded in <c>status.uncountedTerminatedPods.succeeded</c> when the sync started.</summary>
    public required HashSet<string> UncountedSucceeded { get; init; }

    /// <summary>UIDs recorded in <c>status.uncountedTerminatedPods.failed</c> when the sync started.</summary>
    public required HashSet<string> UncountedFailed { get; init; }

    /// <summary>The uncounted UIDs as this sync rewrites them (written with every status update).</summary>
    public List<string> PendingSucceeded { get; } = [];

    public List<string> PendingFailed { get; } = [];

    /// <summary>Pods whose finalizer removal is still expected: already counted, skipped.</summary>
    public required IReadOnlySet<string> ExpectedRmFinalizers { get; init; }

    public int Ready { get; set; }

    public int Terminating { get; set; }

    public int Succeeded { get; set; }

    public int Failed { get; set; }

    /// <summary>Complete, Failed or one of the interim conditions once the sync decided the Job is done; else null.</summary>
    public JsonObject? FinishedCondition { get; set; }

    public BackoffRecord NewBackoffRecord { get; set; } = BackoffRecord.None;

    /// <summary>Indexed Jobs: the indexes in <c>status.completedIndexes</c>, and those plus newly succeeded pods.</summary>
    public CompletedIndexes PrevSucceededIndexes { get; set; } = CompletedIndexes.Empty;

    public CompletedIndexes SucceededIndexes { get; set; } = CompletedIndexes.Empty;

    /// <summary><c>spec.podFailurePolicy</c>, or null.</summary>
    public JsonObject? PodFailurePolicy => Job.GetObject("spec", "podFailurePolicy");

    /// <summary>Whether a terminating pod waits for its Failed phase before it counts (<see cref="JobPods.OnlyReplaceFailedPods"/>).</summary>
    public bool OnlyReplaceFailed => JobPods.OnlyReplaceFailedPods(Job);

    public bool IsPodFailed(V1Pod pod) => JobPods.IsPodFailed(pod, OnlyReplaceFailed);

    public bool IsIndexed => Job.GetString("spec", "completionMode") == "Indexed";

    public int? Completions => Job.GetLong("spec", "completions") is { } c ? (int)c : null;

    public JsonObject Status
    {
        get
        {
            if (Job["status"] is not JsonObject status)
            {
                Job["status"] = status = [];
            }
            return status;
        }
    }

    public static HashSet<string> Uids(JsonObject job, string list) =>
        [.. (job.GetArray("status", "uncountedTerminatedPods", list) ?? []).Select(n => n?.GetValue<string>() ?? "")];
}
