using k8s.Models;

namespace Berth.Kubelet.Abstractions;

/// <summary>
/// Materialises a pod's volumes (emptyDir, configMap, secret, downwardAPI, projected, hostPath) under the pod
/// directory and tells the pod syncer which host paths each container sees. Mirrors kubernetes/kubernetes
/// pkg/kubelet/volumemanager (WaitForAttachAndMount / unmount on SyncTerminatedPod).
/// </summary>
/// <remarks>
/// Called by the pod worker of one pod UID only, so calls for one pod never overlap; calls for different pods may run
/// concurrently. Both methods are idempotent: the pod syncer calls <see cref="MountVolumesAsync"/> on every
/// SyncPod (content of configMap/secret/downwardAPI volumes may be refreshed), and
/// <see cref="UnmountVolumesAsync"/> again when a previous attempt threw.
/// </remarks>
public interface IVolumeManager
{
    /// <summary>
    /// Ensures every volume of <paramref name="pod"/> exists on disk and returns one <see cref="VolumeMount"/> per
    /// (container, volumeMount) pair of all init, sidecar and main containers. A missing non-optional ConfigMap or
    /// Secret throws (the pod stays Pending and is retried by the pod worker); the exception message is shown in an
    /// event, so it must never contain secret data.
    /// </summary>
    Task<IReadOnlyList<VolumeMount>> MountVolumesAsync(V1Pod pod, CancellationToken ct);

    /// <summary>
    /// Removes what <see cref="MountVolumesAsync"/> created for the pod (hostPath targets are never touched). Called
    /// from SyncTerminatedPod after every container has exited. Unknown pods succeed.
    /// </summary>
    Task UnmountVolumesAsync(V1Pod pod, CancellationToken ct);
}
