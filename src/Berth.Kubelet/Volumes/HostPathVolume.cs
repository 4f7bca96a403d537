using k8s.Models;

namespace Berth.Kubelet.Volumes;

/// <summary>
/// hostPath: the host path itself, after upstream's type checks (<c>DirectoryOrCreate</c> creates a 0755 directory,
/// <c>FileOrCreate</c> an empty 0644 file; <c>Directory</c>, <c>File</c>, <c>Socket</c>, <c>CharDevice</c> and
/// <c>BlockDevice</c> must already be of that type; an empty type checks nothing). Its content is never removed.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/volume/hostpath/host_path.go (SetUpAt, checkType).</remarks>
internal sealed class HostPathVolume : IVolumePlugin
{
    public string PluginDirectory => "kubernetes.io~host-path";

    public bool ReadOnly => false;

    public bool OwnsContent => false;

    public bool CanSupport(V1Volume volume) => volume.HostPath is not null;

    public Task<string> SetUpAsync(VolumeContext context, V1Volume volume, CancellationToken cancellationToken) =>
        Task.FromResult(SetUp(volume.Name, volume.HostPath.Path, volume.HostPath.Type ?? ""));

    /// <summary>Checks (or creates) <paramref name="path"/> as <paramref name="type"/> says and returns it; also used for hostPath PersistentVolumes.</summary>
    public string SetUp(string volumeName, string path, string type)
    {
        try
        {
            CheckType(path, type);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw VolumeSetupException.SetUpFailed(volumeName, e.Message, e);
        }
        return path;
    }

    private static void CheckType(string path, string type)
    {
        var format = FileSystemInterop.FileType(path);
        switch (type)
        {
            case "":
                return;
            case "DirectoryOrCreate" when format < 0:
                Directory.CreateDirectory(path);
                UnixFiles.SetMode(path, UnixFiles.DirectoryMode);
                return;
            case "DirectoryOrCreate" or "Directory":
                Require(format == FileSystemInterop.S_IFDIR, path, "a directory");
                return;
            case "FileOrCreate" when format < 0:
                using (File.Create(path))
                {
                }
                UnixFiles.SetMode(path, UnixFiles.DefaultFileMode);
                return;
            case "FileOrCreate" or "File":
                Require(format == FileSystemInterop.S_IFREG, path, "a file");
                return;
            case "Socket":
                Require(format == FileSystemInterop.S_IFSOCK, path, "a socket file");
                return;
            case "CharDevice":
                Require(format == FileSystemInterop.S_IFCHR, path, "a character device");
                return;
            case "BlockDevice":
                Require(format == FileSystemInterop.S_IFBLK, path, "a block device");
                return;
            default:
                throw new IOException($"hostPath type check failed: unknown type {type}");
        }
    }

    private static void Require(bool ok, string path, string what)
    {
        if (!ok)
        {
            throw new IOException($"hostPath type check failed: {path} is not {what}");
        }
    }
}
