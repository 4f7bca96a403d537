using k8s.Models;

namespace Berth.Kubelet.Status;

/// <summary>
/// <c>containerStatuses[].volumeMounts</c> (RecursiveReadOnlyMounts, beta and on by default in 1.32): one entry per
/// volumeMount of the container's spec, in spec order, with its name and mountPath; <c>readOnly</c> only when true
/// (the field is omitted when false), and then <c>recursiveReadOnly: Disabled</c>, since the process runtime makes
/// read-only mounts with a plain (non-recursive) read-only remount and so never resolves a mount to Enabled. A
/// container without volumeMounts gets none (null, so the field is omitted). The list is computed for the default
/// (waiting) status only; a status converted from a runtime instance copies its predecessor's list, as the mounts of
/// a container never change. Pure.
/// </summary>
/// <remarks>Mirrors the volumeMounts part of kubernetes/kubernetes pkg/kubelet/kubelet_pods.go (convertToAPIContainerStatuses).</remarks>
internal static class VolumeMountStatuses
{
    /// <summary>The <c>recursiveReadOnly</c> value of every read-only mount's status.</summary>
    public const string RecursiveReadOnlyDisabled = "Disabled";

    public static List<V1VolumeMountStatus>? FromSpec(V1Container container)
    {
        if (container.VolumeMounts is not { Count: > 0 } mounts)
        {
            return null;
        }

        return [.. mounts.Select(m => new V1VolumeMountStatus
        {
            Name = m.Name,
            MountPath = m.MountPath,
            ReadOnlyProperty = m.ReadOnlyProperty == true ? true : null,
            RecursiveReadOnly = m.ReadOnlyProperty == true ? RecursiveReadOnlyDisabled : null,
        })];
    }

    /// <summary>A copy of a previous status's list (the entries are never modified, so they are shared).</summary>
    public static List<V1VolumeMountStatus>? CopyOf(V1ContainerStatus? old) =>
        old?.VolumeMounts is { } mounts ? [.. mounts] : null;
}
