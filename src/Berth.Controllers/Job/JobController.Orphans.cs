using System.Text.Json.Nodes;
using Berth.Controllers.Util;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.Job;

public sealed partial class JobController
{
    /// <summary>
    /// Removes the tracking finalizer from pods of this Job's name that no Job will count any more: all pods of a
    /// finished Job, pods whose Job was deleted or replaced by another of the same name, and orphans (job-name label,
    /// no controller) that were not adopted. Without this, deleting such a pod would leave it in storage forever.
    /// Throws the first write error (the key is retried).
    /// </summary>
    /// <remarks>Mirrors kubernetes/kubernetes pkg/controller/job/job_controller.go (syncOrphanPod, cleanupPodFinalizers).</remarks>
    private async Task RemoveStrayFinalizersAsync(ObjectKey key, JsonObject? job, IReadOnlySet<string> claimed, CancellationToken cancellationToken)
    {
        var finished = job is not null && JobConditions.IsJobFinished(job);
        var stray = _pods.Lister.List(key.Namespace)
            .Where(p => HasFinalizer(p) && !claimed.Contains(p.GetUid() ?? "") && IsStray(p, key, job, finished))
            .Select(_podModels.ToModel)
            .ToList();
        if (stray.Count == 0)
        {
            return;
        }
        var errors = await Task.WhenAll(stray.Select(p => RemoveFinalizerAsync(p, cancellationToken))).ConfigureAwait(false);
        if (errors.FirstOrDefault(e => e is not null) is { } error)
        {
            throw error;
        }
    }

    private static bool IsStray(JsonObject pod, ObjectKey key, JsonObject? job, bool jobFinished)
    {
        if (OwnerReferences.GetControllerOf(pod) is { } controllerRef)
        {
            return controllerRef.GetString("kind") == KindRegistry.Jobs.Kind && controllerRef.GetString("name") == key.Name &&
                (job is null || jobFinished || controllerRef.GetString("uid") != job.GetUid());
        }
        return pod.GetLabels().TryGetValue(JobPods.JobNameLabel, out var name) && name == key.Name;
    }
}
