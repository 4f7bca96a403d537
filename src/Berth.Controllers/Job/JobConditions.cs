using System.Text.Json.Nodes;
using Berth.Controllers.Scheduling;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.Job;

/// <summary>
/// Job condition types, reasons and the helpers that read and write <c>status.conditions</c> in storage form.
/// Mirrors kubernetes/kubernetes pkg/controller/job/job_controller.go (newCondition, ensureJobConditionStatus,
/// findConditionByType) and pkg/controller/job/util/utils.go (IsJobFinished).
/// </summary>
public static class JobConditions
{
    public const string Complete = "Complete";
    public const string Failed = "Failed";
    public const string Suspended = "Suspended";
    public const string FailureTarget = "FailureTarget";
    public const string SuccessCriteriaMet = "SuccessCriteriaMet";

    public const string ReasonBackoffLimitExceeded = "BackoffLimitExceeded";
    public const string ReasonDeadlineExceeded = "DeadlineExceeded";
    public const string ReasonCompletionsReached = "CompletionsReached";
    public const string ReasonPodFailurePolicy = "PodFailurePolicy";

    /// <summary>Complete=True or Failed=True: the controller has nothing left to do for the Job.</summary>
    public static bool IsJobFinished(JsonObject job) => FinishedCondition(job) is not null;

    /// <summary>The type of the true Complete or Failed condition, or null.</summary>
    public static string? FinishedCondition(JsonObject job) =>
        (job.GetArray("status", "conditions") ?? []).OfType<JsonObject>()
            .FirstOrDefault(c => c.GetString("type") is Complete or Failed && c.GetString("status") == "True")?.GetString("type");

    public static JsonObject? Find(JsonObject job, string type) =>
        (job.GetArray("status", "conditions") ?? []).OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == type);

    /// <summary>The condition of <paramref name="type"/> when it is True, else null.</summary>
    public static JsonObject? FindTrue(JsonObject job, string type) => Find(job, type) is { } c && c.GetString("status") == "True" ? c : null;

    public static JsonObject New(string type, string status, string reason, string message, DateTimeOffset now) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["lastProbeTime"] = MetaTimes.Format(now),
        ["lastTransitionTime"] = MetaTimes.Format(now),
        ["reason"] = reason,
        ["message"] = message,
    };

    /// <summary>
    /// Sets the condition of <paramref name="type"/> on the mutable <paramref name="job"/> copy: an existing one
    /// changes only when its status differs; a missing one is added only when <paramref name="status"/> is True.
    /// Returns whether anything changed.
    /// </summary>
    public static bool EnsureStatus(JsonObject job, string type, string status, string reason, string message, DateTimeOffset now)
    {
        if (Find(job, type) is { } existing)
        {
            if (existing.GetString("status") == status)
            {
                return false;
            }
            existing["status"] = status;
            existing["reason"] = reason;
            existing["message"] = message;
            existing["lastProbeTime"] = MetaTimes.Format(now);
            existing["lastTransitionTime"] = MetaTimes.Format(now);
            return true;
        }
        if (status != "True")
        {
            return false;
        }
        Append(job, New(type, status, reason, message, now));
        return true;
    }

    public static void Append(JsonObject job, JsonObject condition)
    {
        if (job.GetArray("status", "conditions") is { } conditions)
        {
            conditions.Add(condition);
            return;
        }
        job.SetPath(new JsonArray(condition), "status", "conditions");
    }
}
