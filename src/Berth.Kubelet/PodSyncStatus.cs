using Berth.Kubelet.Util;
using k8s.Models;

namespace Berth.Kubelet;

/// <summary>
/// The bookkeeping of one pod worker. Every field is read and written under the <see cref="PodWorkers"/> lock only.
/// Mirrors kubernetes/kubernetes pkg/kubelet/pod_workers.go (podSyncStatus).
/// </summary>
internal sealed class PodSyncStatus
{
    /// <summary>Wakes the worker loop (one slot, coalescing).</summary>
    public AsyncSignal Signal { get; } = new();

    /// <summary>The latest update not yet taken by the loop; replaced by newer updates (kill options carry over).</summary>
    public UpdatePodOptions? PendingUpdate { get; set; }

    /// <summary>The update the loop last took; reused for resyncs.</summary>
    public UpdatePodOptions? ActiveUpdate { get; set; }

    /// <summary>True from an update until the loop has nothing pending.</summary>
    public bool Working { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When termination was requested (deletionTimestamp, terminal phase, kill, orphan).</summary>
    public DateTimeOffset? TerminatingAt { get; set; }

    /// <summary>When SyncTerminatingPod succeeded: no container runs any more.</summary>
    public DateTimeOffset? TerminatedAt { get; set; }

    /// <summary>SyncTerminatedPod succeeded (or a runtime pod was killed): the worker exits and never restarts.</summary>
    public bool Finished { get; set; }

    /// <summary>The pod is being deleted from the API (or vanished), as opposed to reaching a terminal phase.</summary>
    public bool Deleted { get; set; }

    /// <summary>The effective grace of the kill; created when termination is requested, only ever shortened.</summary>
    public GracePeriodOverride? Grace { get; set; }

    /// <summary>Completed after SyncTerminatingPod succeeded (kill requests that wait for the pod to stop).</summary>
    public List<TaskCompletionSource> NotifyPostTerminating { get; } = [];

    /// <summary>Status adjustments from kill requests (node shutdown), applied while terminating.</summary>
    public List<Action<V1PodStatus>> StatusPostTerminating { get; } = [];

    /// <summary>Cancels an in-flight SyncPod when termination is requested.</summary>
    public CancellationTokenSource? SyncCancellation { get; set; }

    /// <summary>When the loop resyncs without an update (sync frequency, back-off, retry).</summary>
    public DateTimeOffset? NextResync { get; set; }

    /// <summary>The loop, for shutdown.</summary>
    public Task? Loop { get; set; }

    public bool IsTerminationRequested => TerminatingAt is not null;

    public bool IsTerminated => TerminatedAt is not null;

    public PodWorkerState WorkType => IsTerminated ? PodWorkerState.TerminatedPod
        : IsTerminationRequested ? PodWorkerState.TerminatingPod
        : PodWorkerState.SyncPod;
}
