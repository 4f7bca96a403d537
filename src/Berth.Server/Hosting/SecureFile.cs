using System.Text;

namespace Berth.Server.Hosting;

/// <summary>
/// Writes data-directory files atomically (temp file, then rename) with an explicit Unix mode, so a crash never
/// leaves a half-written key and secrets are never readable by others, not even briefly.
/// </summary>
internal static class SecureFile
{
    /// <summary>Owner read/write only: keys, token, kubeconfig.</summary>
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>World-readable: certificates.</summary>
    public const UnixFileMode Public = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static void WriteAllText(string path, string contents, UnixFileMode mode)
    {
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }
        File.Delete(temp);
        using (var stream = new FileStream(temp, options))
        {
            stream.Write(Encoding.UTF8.GetBytes(contents));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }
}
