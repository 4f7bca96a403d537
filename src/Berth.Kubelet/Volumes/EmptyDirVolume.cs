using k8s.Models;

namespace Berth.Kubelet.Volumes;

/// <summary>
/// emptyDir: a world-writable directory that lives as long as the pod. <c>medium: Memory</c> is also a plain
/// directory (mounting tmpfs needs privileges the agent does not assume), and <c>sizeLimit</c> is not enforced.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/volume/emptydir/empty_dir.go (SetUpAt, setupDir).</remarks>
internal sealed class EmptyDirVolume : IVolumePlugin
{
    public string PluginDirectory => "kubernetes.io~empty-dir";

    public bool ReadOnly => false;

    public bool OwnsContent => true;

    public bool CanSupport(V1Volume volume) => volume.EmptyDir is not null;

    public Task<string> SetUpAsync(VolumeContext context, V1Volume volume, CancellationToken cancellationToken)
    {
        var directory = context.VolumeDirectory(this, volume.Name);
        try
        {
            if (!Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory);
                UnixFiles.SetMode(directory, UnixFiles.WorldWritableDirectoryMode);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw VolumeSetupException.SetUpFailed(volume.Name, e.Message, e);
        }
        return Task.FromResult(directory);
    }
}
