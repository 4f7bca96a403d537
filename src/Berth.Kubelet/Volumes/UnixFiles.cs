namespace Berth.Kubelet.Volumes;

/// <summary>Permission bits of files and directories (the volume code runs on Linux only).</summary>
internal static class UnixFiles
{
    /// <summary>0755: directories of a volume version, subPath directories' fallback.</summary>
    public const int DirectoryMode = 0x1ED;

    /// <summary>0777: emptyDir volumes (upstream's perm for the empty-dir root).</summary>
    public const int WorldWritableDirectoryMode = 0x1FF;

    /// <summary>0644: the API default of <c>defaultMode</c> for configMap, secret, downwardAPI and projected volumes.</summary>
    public const int DefaultFileMode = 0x1A4;

    public static void SetMode(string path, int mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Berth volumes are supported on Linux only.");
        }
        File.SetUnixFileMode(path, (UnixFileMode)(mode & 0xFFF));
    }

    public static int GetMode(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Berth volumes are supported on Linux only.");
        }
        return (int)File.GetUnixFileMode(path);
    }
}
