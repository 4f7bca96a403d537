namespace Berth.UnitTests.Server;

/// <summary>A fresh directory under the system temp dir, removed on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("berth-unit-").FullName;

    /// <summary>The Unix permission bits of <paramref name="path"/> (these tests run on Linux only).</summary>
    public static UnixFileMode ModeOf(string path) =>
        OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException() : File.GetUnixFileMode(path);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory does not affect other tests.
        }
    }
}
