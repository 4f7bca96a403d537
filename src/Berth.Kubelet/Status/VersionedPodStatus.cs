using k8s.Models;

namespace Berth.Kubelet.Status;

/// <summary>
/// A cached pod status with a per-pod monotonic version, so a status older than the one the API has is never sent.
/// <paramref name="PodIsFinished"/> is set by <see cref="StatusManager.TerminatePod"/>: the pod worker finished and the
/// object may be deleted once its API phase is terminal. <paramref name="HoldUntil"/> is set on a pod's first status
/// while its containers are still being created: the sync loop does not write it before then (see
/// <see cref="KubeletOptions.PendingStatusHold"/>). <paramref name="Queued"/> orders the writes: the manager-wide sequence
/// number at which the pod's oldest status not yet written was cached, so the pod waiting longest is written first.
/// Mirrors kubernetes/kubernetes pkg/kubelet/status/status_manager.go (versionedPodStatus).
/// </summary>
public sealed record VersionedPodStatus(ulong Version, string PodName, string PodNamespace, V1PodStatus Status, bool PodIsFinished,
    DateTimeOffset? HoldUntil = null, ulong Queued = 0);
