using Berth.Kubelet.Container;
using k8s.Models;

namespace Berth.Kubelet;

/// <summary>
/// What a pod worker calls; each method is invoked only from that pod's worker, never concurrently for one pod, and
/// repeatedly until it returns without throwing (the worker retries after a back-off). Mirrors kubernetes/kubernetes
/// pkg/kubelet/pod_workers.go (podSyncer).
/// </summary>
public interface IPodSyncer
{
    /// <summary>
    /// Configures the pod and starts/restarts its containers (never called again once termination began).
    /// Cancelled when termination is requested meanwhile. Returns terminal when the pod reached Succeeded/Failed.
    /// </summary>
    Task<PodSyncResult> SyncPodAsync(SyncPodType updateType, V1Pod pod, CancellationToken cancellationToken);

    /// <summary>
    /// Stops every container of the pod within <paramref name="gracePeriod"/> (which may shorten while this runs:
    /// honour it at once), stops probes, releases the sandbox and writes the terminal status.
    /// <paramref name="podStatusFunc"/>, when set, is applied to every status generated here.
    /// </summary>
    Task SyncTerminatingPodAsync(V1Pod pod, GracePeriodOverride gracePeriod, Action<V1PodStatus>? podStatusFunc,
        CancellationToken cancellationToken);

    /// <summary>Kills the running containers of a pod that is gone from the API (grace 1, no status).</summary>
    Task SyncTerminatingRuntimePodAsync(PodRuntimeStatus runningPod, CancellationToken cancellationToken);

    /// <summary>Cleans up after a pod whose containers all stopped (volumes, IP) and hands the final status over for deletion.</summary>
    Task SyncTerminatedPodAsync(V1Pod pod, CancellationToken cancellationToken);
}
