namespace Berth.Kubelet.Runtime;

/// <summary>
/// One bind mount of a host path into the container's private mount view. Mirrors kubernetes/cri-api
/// pkg/apis/runtime/v1 (Mount) without propagation: Berth mounts are always private.
/// </summary>
/// <param name="ContainerPath">Absolute path inside the container; created (without touching the host) when missing.</param>
/// <param name="HostPath">Absolute host path of a file or directory (a volume, or a subPath inside one).</param>
/// <param name="ReadOnly">Remount the bind read-only.</param>
public sealed record ContainerMount(string ContainerPath, string HostPath, bool ReadOnly);
