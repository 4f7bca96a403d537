using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.Controllers.Job;

/// <summary>
/// Pod predicates and labels of the Job controller. Pure functions over read-only pod models.
/// Mirrors kubernetes/kubernetes pkg/controller/job/job_controller.go (isPodFailed, hasJobTrackingFinalizer,
/// getFinishedTime) and indexed_job_utils.go (getCompletionIndex).
/// </summary>
public static class JobPods
{
    /// <summary>Keeps a Job's pod in storage until the controller has counted it in the Job's status.</summary>
    public const string JobTrackingFinalizer = "batch.kubernetes.io/job-tracking";

    /// <summary>Annotation and label carrying an Indexed Job pod's completion index.</summary>
    public const string JobCompletionIndexAnnotation = "batch.kubernetes.io/job-completion-index";

    /// <summary>The environment variable through which an Indexed Job's container reads its index.</summary>
    public const string JobCompletionIndexEnvName = "JOB_COMPLETION_INDEX";

    public const string JobNameLabel = "batch.kubernetes.io/job-name";

    /// <summary>Returned by <see cref="GetCompletionIndex"/> for a pod without a valid index.</summary>
    public const int UnknownCompletionIndex = -1;

    public static bool HasJobTrackingFinalizer(V1Pod pod) => pod.Metadata.Finalizers?.Contains(JobTrackingFinalizer) == true;

    /// <summary>
    /// Failed, or being deleted without having succeeded: a deleted pod may never reach the Failed phase (an orphan,
    /// a pod of a suspended job), so upstream counts it as failed as soon as it is terminating. When the Job replaces
    /// only failed pods (<paramref name="onlyReplaceFailed"/>, see <see cref="OnlyReplaceFailedPods"/>), a
    /// terminating pod counts only once it reached the Failed phase.
    /// </summary>
    public static bool IsPodFailed(V1Pod pod, bool onlyReplaceFailed = false) =>
        pod.Status?.Phase == "Failed" || (!onlyReplaceFailed && pod.Metadata.DeletionTimestamp is not null && pod.Status?.Phase != "Succeeded");

    /// <summary>
    /// podReplacementPolicy Failed, or a pod failure policy (which implies it): a replacement waits until the old
    /// pod is fully terminal (upstream onlyReplaceFailedPods).
    /// </summary>
    public static bool OnlyReplaceFailedPods(JsonObject job) =>
        job.GetString("spec", "podReplacementPolicy") == "Failed" || job.GetObject("spec", "podFailurePolicy") is not null;

    /// <summary>Being deleted and not finished yet (upstream controller.CountTerminatingPods).</summary>
    public static bool IsTerminating(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is not null && pod.Status?.Phase is not ("Failed" or "Succeeded");

    /// <summary>
    /// When the pod finished: the latest container termination, else its deletion timestamp, else the last
    /// condition transition, else <paramref name="now"/>.
    /// </summary>
    public static DateTimeOffset GetFinishedTime(V1Pod pod, DateTimeOffset now)
    {
        var finished = (pod.Status?.ContainerStatuses ?? [])
            .Select(s => s.State?.Terminated?.FinishedAt)
            .Where(t => t is not null)
            .Select(t => Utc(t!.Value))
            .DefaultIfEmpty(DateTimeOffset.MinValue)
            .Max();
        if (finished != DateTimeOffset.MinValue)
        {
            return finished;
        }
        if (pod.Metadata.DeletionTimestamp is { } deleted)
        {
            return Utc(deleted);
        }
        var transitions = (pod.Status?.Conditions ?? []).Where(c => c.LastTransitionTime is not null).Select(c => Utc(c.LastTransitionTime!.Value)).ToList();
        return transitions.Count > 0 ? transitions.Max() : now;
    }

    /// <summary>The completion index from the annotation (else the label); <see cref="UnknownCompletionIndex"/> when absent or invalid.</summary>
    public static int GetCompletionIndex(V1Pod pod)
    {
        string? text = null;
        if (pod.Metadata.Annotations?.TryGetValue(JobCompletionIndexAnnotation, out var a) == true)
        {
            text = a;
        }
        else if (pod.Metadata.Labels?.TryGetValue(JobCompletionIndexAnnotation, out var l) == true)
        {
            text = l;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : UnknownCompletionIndex;
    }

    /// <summary>Container and init container restarts of a pending or running pod (what OnFailure jobs count toward backoffLimit).</summary>
    public static int RestartCount(V1Pod pod) => pod.Status?.Phase is "Running" or "Pending"
        ? (pod.Status.InitContainerStatuses ?? []).Sum(s => s.RestartCount) + (pod.Status.ContainerStatuses ?? []).Sum(s => s.RestartCount)
        : 0;

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
}
