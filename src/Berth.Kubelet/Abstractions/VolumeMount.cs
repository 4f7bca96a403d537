namespace Berth.Kubelet.Abstractions;

/// <summary>
/// One resolved <c>containers[].volumeMounts[]</c> entry: where the volume's content lives on the host and where the
/// container expects it. A process runtime has no mount namespace, so the pod syncer exposes the mapping to the
/// container (see <c>PodSyncer</c>); <paramref name="HostPath"/> already includes <paramref name="SubPath"/>'s
/// directory when the manager resolved it. Mirrors kubernetes/cri-api pkg/apis/runtime/v1 (Mount).
/// </summary>
/// <param name="ContainerName">The init, sidecar or main container the mount belongs to.</param>
/// <param name="HostPath">Absolute path on the host holding the volume content.</param>
/// <param name="MountPath">The <c>volumeMounts[].mountPath</c> from the spec (absolute).</param>
/// <param name="ReadOnly">The <c>volumeMounts[].readOnly</c> flag.</param>
/// <param name="SubPath">The <c>volumeMounts[].subPath</c>, or null when the whole volume is mounted.</param>
public sealed record VolumeMount(string ContainerName, string HostPath, string MountPath, bool ReadOnly, string? SubPath);
