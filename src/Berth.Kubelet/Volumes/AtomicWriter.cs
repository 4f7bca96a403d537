using System.Globalization;

namespace Berth.Kubelet.Volumes;

/// <summary>
/// Publishes a set of files into a volume directory so that readers always see one complete version: the files are
/// written into a fresh timestamped directory (<c>..2025_01_31_12_00_00.1234</c>), the <c>..data</c> symlink is
/// switched to it with one rename, and every top-level name is a symlink through <c>..data</c>
/// (<c>key → ..data/key</c>). Nothing is written when the current version already has exactly this content and
/// these modes, so calling <see cref="Write"/> on every pod sync is cheap.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/volume/util/atomic_writer.go. Not thread-safe: one pod worker owns a volume.
/// </remarks>
internal sealed class AtomicWriter(string targetDirectory, TimeProvider timeProvider)
{
    public const string DataDirName = "..data";
    private const string NewDataDirName = "..data_tmp";

    /// <summary>Publishes <paramref name="payload"/> (relative path → file). Returns true when the content changed.</summary>
    /// <exception cref="ArgumentException">A path is absolute or contains <c>..</c>.</exception>
    public bool Write(IReadOnlyDictionary<string, FileProjection> payload)
    {
        foreach (var path in payload.Keys)
        {
            ValidatePath(path);
        }
        Directory.CreateDirectory(targetDirectory);
        var dataLink = Path.Combine(targetDirectory, DataDirName);
        var oldVersion = new FileInfo(dataLink).LinkTarget;
        if (oldVersion is not null && Matches(Path.Combine(targetDirectory, oldVersion), payload))
        {
            EnsureUserVisibleLinks(payload);
            return false;
        }
        var newVersion = WriteVersion(payload);
        var tempLink = Path.Combine(targetDirectory, NewDataDirName);
        File.Delete(tempLink);
        File.CreateSymbolicLink(tempLink, newVersion);
        FileSystemInterop.Rename(tempLink, dataLink);
        EnsureUserVisibleLinks(payload);
        RemoveStaleUserVisibleLinks(payload);
        if (oldVersion is not null && oldVersion.StartsWith("..", StringComparison.Ordinal) && oldVersion != newVersion)
        {
            var oldDirectory = Path.Combine(targetDirectory, oldVersion);
            if (Directory.Exists(oldDirectory))
            {
                Directory.Delete(oldDirectory, recursive: true);
            }
        }
        return true;
    }

    /// <summary>Rejects absolute paths and <c>..</c> elements, as upstream's validatePath.</summary>
    public static void ValidatePath(string path)
    {
        if (path.Length == 0)
        {
            throw new ArgumentException("invalid path: must not be empty");
        }
        if (Path.IsPathRooted(path))
        {
            throw new ArgumentException($"invalid path: must be relative path: {path}");
        }
        if (path.Split('/').Contains(".."))
        {
            throw new ArgumentException($"invalid path: must not contain '..': {path}");
        }
        if (path.StartsWith("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"invalid path: must not start with '..': {path}");
        }
    }

    private string WriteVersion(IReadOnlyDictionary<string, FileProjection> payload)
    {
        var stamp = timeProvider.GetUtcNow().UtcDateTime.ToString("yyyy_MM_dd_HH_mm_ss", CultureInfo.InvariantCulture);
        string name, directory;
        do
        {
            name = $"..{stamp}.{Random.Shared.Next(0, int.MaxValue).ToString(CultureInfo.InvariantCulture)}";
            directory = Path.Combine(targetDirectory, name);
        }
        while (Directory.Exists(directory));
        Directory.CreateDirectory(directory);
        UnixFiles.SetMode(directory, UnixFiles.DirectoryMode);
        foreach (var (relative, file) in payload)
        {
            var full = Path.Combine(directory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, file.Data);
            UnixFiles.SetMode(full, file.Mode);
        }
        return name;
    }

    private static bool Matches(string versionDirectory, IReadOnlyDictionary<string, FileProjection> payload)
    {
        if (!Directory.Exists(versionDirectory))
        {
            return false;
        }
        var files = Directory.EnumerateFiles(versionDirectory, "*", SearchOption.AllDirectories).ToList();
        if (files.Count != payload.Count)
        {
            return false;
        }
        foreach (var full in files)
        {
            var relative = Path.GetRelativePath(versionDirectory, full);
            if (!payload.TryGetValue(relative, out var expected)
                || !expected.ContentEquals(File.ReadAllBytes(full), UnixFiles.GetMode(full)))
            {
                return false;
            }
        }
        return true;
    }

    private static IEnumerable<string> TopLevelNames(IReadOnlyDictionary<string, FileProjection> payload) =>
        payload.Keys.Select(p => p.Split('/')[0]).Distinct(StringComparer.Ordinal);

    private void EnsureUserVisibleLinks(IReadOnlyDictionary<string, FileProjection> payload)
    {
        foreach (var name in TopLevelNames(payload))
        {
            var link = Path.Combine(targetDirectory, name);
            var target = Path.Combine(DataDirName, name);
            var info = new FileInfo(link);
            if (info.LinkTarget == target)
            {
                continue;
            }
            if (info.Exists || info.LinkTarget is not null)
            {
                File.Delete(link);
            }
            File.CreateSymbolicLink(link, target);
        }
    }

    private void RemoveStaleUserVisibleLinks(IReadOnlyDictionary<string, FileProjection> payload)
    {
        var wanted = TopLevelNames(payload).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in Directory.EnumerateFileSystemEntries(targetDirectory))
        {
            var name = Path.GetFileName(entry);
            if (name.StartsWith("..", StringComparison.Ordinal) || wanted.Contains(name))
            {
                continue;
            }
            if (new FileInfo(entry).LinkTarget is null && Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
    }
}
