using Berth.Kubelet.Abstractions;
using Berth.Kubelet.Container;
using k8s.Models;

namespace Berth.Kubelet.Volumes;

/// <summary>
/// Resolves every container's <c>volumeMounts</c> against the set-up volumes: the host path (with <c>subPath</c> or
/// the expanded <c>subPathExpr</c> appended, creating a missing subPath directory with the volume's permissions) and
/// the effective read-only flag (configMap, secret, downwardAPI and projected volumes are always read-only).
/// Errors are <see cref="VolumeSetupException.CreateContainerConfigError"/>s with upstream's messages.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/kubelet/kubelet_pods.go (makeMounts).</remarks>
internal static class ContainerMounts
{
    /// <summary>One set-up volume: where it lives and whether it must be mounted read-only.</summary>
    public sealed record SetUpVolume(string HostPath, bool ReadOnly);

    public static List<VolumeMount> Resolve(V1Pod pod, IReadOnlyDictionary<string, SetUpVolume> volumes)
    {
        var mounts = new List<VolumeMount>();
        foreach (var container in (pod.Spec?.InitContainers ?? []).Concat(pod.Spec?.Containers ?? []).Concat(PodSpecs.EphemeralContainers(pod)))
        {
            foreach (var mount in container.VolumeMounts ?? [])
            {
                if (!volumes.TryGetValue(mount.Name, out var volume))
                {
                    throw VolumeSetupException.ContainerConfig(mount.Name,
                        $"cannot find volume \"{mount.Name}\" to mount into container \"{container.Name}\"");
                }
                var subPath = SubPathOf(pod, container, mount);
                var hostPath = subPath is null ? volume.HostPath : ProvisionSubPath(volume.HostPath, subPath, container, mount);
                mounts.Add(new VolumeMount(container.Name, hostPath, mount.MountPath, mount.ReadOnlyProperty == true || volume.ReadOnly, subPath));
            }
        }
        return mounts;
    }

    private static string? SubPathOf(V1Pod pod, V1Container container, V1VolumeMount mount)
    {
        if (!string.IsNullOrEmpty(mount.SubPathExpr))
        {
            try
            {
                return SubPathExpansion.Expand(mount.SubPathExpr, pod, container);
            }
            catch (ArgumentException e)
            {
                throw VolumeSetupException.ContainerConfig(mount.Name, e.Message);
            }
        }
        return string.IsNullOrEmpty(mount.SubPath) ? null : mount.SubPath;
    }

    private static string ProvisionSubPath(string volumePath, string subPath, V1Container container, V1VolumeMount mount)
    {
        if (Path.IsPathRooted(subPath))
        {
            throw VolumeSetupException.ContainerConfig(mount.Name, $"error SubPath `{subPath}` must not be an absolute path");
        }
        if (subPath.Split('/').Contains(".."))
        {
            throw VolumeSetupException.ContainerConfig(mount.Name, $"unable to provision SubPath `{subPath}`: must not contain '..'");
        }
        var hostPath = Path.Combine(volumePath, subPath);
        if (FileSystemInterop.FileType(hostPath) >= 0)
        {
            return hostPath;
        }
        try
        {
            var mode = FileSystemInterop.FileType(volumePath) == FileSystemInterop.S_IFDIR ? UnixFiles.GetMode(volumePath) : UnixFiles.DirectoryMode;
            Directory.CreateDirectory(hostPath);
            UnixFiles.SetMode(hostPath, mode);
            return hostPath;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw VolumeSetupException.ContainerConfig(mount.Name,
                $"failed to create subPath directory for volumeMount \"{mount.Name}\" of container \"{container.Name}\"");
        }
    }
}
