namespace Berth.Kubelet;

/// <summary>
/// The phase of a pod worker. Transitions only go forward: SyncPod → TerminatingPod → TerminatedPod → (finished,
/// the worker exits). Mirrors kubernetes/kubernetes pkg/kubelet/pod_workers.go (PodWorkerState).
/// </summary>
public enum PodWorkerState
{
    /// <summary>The pod should be running: SyncPod is called on every update and resync.</summary>
    SyncPod,

    /// <summary>Termination was requested: SyncTerminatingPod runs (again, with a possibly shorter grace) until it succeeds.</summary>
    TerminatingPod,

    /// <summary>No container runs any more: SyncTerminatedPod cleans up until it succeeds, then the worker finishes.</summary>
    TerminatedPod,
}
