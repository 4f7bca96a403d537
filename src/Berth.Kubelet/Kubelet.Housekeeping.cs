using Berth.Kubelet.Container;

namespace Berth.Kubelet;

public sealed partial class Kubelet
{
    private async Task HousekeepingLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.HousekeepingPeriod, _time, cancellationToken).ConfigureAwait(false);
                await HandlePodCleanupsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Machinery.Errors.ApiException or IOException or InvalidOperationException)
            {
                Log.HousekeepingFailed(_logger, ex);
            }
        }
    }

    /// <summary>
    /// One housekeeping pass: forgets finished workers of pods gone from the API; kills running containers that
    /// belong to no known pod (orphans); removes the containers (and logs) of pods that are gone and finished; keeps
    /// at most the current and the previous instance of each container of live pods; drops stale statuses and
    /// back-off entries. Mirrors kubernetes/kubernetes pkg/kubelet/kubelet_pods.go (HandlePodCleanups) and the
    /// container GC (MaxPerPodContainer 1 dead instance).
    /// </summary>
    public async Task HandlePodCleanupsAsync(CancellationToken cancellationToken)
    {
        // Before the pod sets are read: pods admitted while this runs keep their statuses.
        var cachedStatuses = StatusManager.CachedPodUids();
        var desired = Pods.Uids();
        var workers = PodWorkers.SyncKnownPods(desired);
        foreach (var runtimePod in await RuntimeManager.GetPodsAsync(cancellationToken).ConfigureAwait(false))
        {
            var uid = runtimePod.PodUid;
            if (desired.Contains(uid))
            {
                await RuntimeManager.PruneExitedAsync(runtimePod, cancellationToken).ConfigureAwait(false);
            }
            else if (workers.ContainsKey(uid))
            {
                continue;
            }
            else if (runtimePod.HasRunning && !PodWorkers.IsPodKnownTerminated(uid))
            {
                Log.Orphan(_logger, uid);
                PodWorkers.UpdatePod(new UpdatePodOptions(SyncPodType.Kill, null, runtimePod));
            }
            else if (!runtimePod.HasRunning)
            {
                Log.RemovingContainers(_logger, uid);
                await RuntimeManager.RemovePodContainersAsync(runtimePod, cancellationToken).ConfigureAwait(false);
            }
        }

        var known = new HashSet<string>(desired, StringComparer.Ordinal);
        known.UnionWith(workers.Keys);
        StatusManager.RemoveOrphanedStatuses(known, cachedStatuses);
        CrashLoopBackOff.GC();
    }
}
