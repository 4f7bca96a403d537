using System.Globalization;

namespace Berth.Kubelet.Runtime.ProcessRuntime.Logs;

/// <summary>
/// A container log file (mode 0600) with size-based rotation: before an entry would push the file past
/// <see cref="MaxSize"/>, the file is renamed to <c>&lt;path&gt;.1</c> (older ones shift to .2 …) and a new one is
/// started; at most <see cref="MaxFiles"/> files exist (the live one included). Entries are never split across files.
/// Mirrors kubernetes/kubernetes pkg/kubelet/logs/container_log_manager.go (containerLogMaxSize/MaxFiles); rotated
/// files are numbered instead of timestamped and not compressed.
/// </summary>
/// <remarks>Not thread-safe: one writer (the poller thread) per file. Appends to an existing file (agent restart).</remarks>
internal sealed class RotatingLogFile : IDisposable
{
    private readonly string _path;
    private FileStream _stream;
    private long _size;

    public RotatingLogFile(string path, long maxSize, int maxFiles)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSize, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFiles, 1);
        _path = path;
        MaxSize = maxSize;
        MaxFiles = maxFiles;
        _stream = Open(path);
        _size = _stream.Length;
    }

    public long MaxSize { get; }

    public int MaxFiles { get; }

    /// <summary>The files holding this container's log, oldest first (rotated ones, then the live one).</summary>
    public static IReadOnlyList<string> FilesOldestFirst(string path, int maxFiles)
    {
        var files = new List<string>();
        for (var i = maxFiles - 1; i >= 1; i--)
        {
            if (File.Exists(RotatedName(path, i)))
            {
                files.Add(RotatedName(path, i));
            }
        }
        if (File.Exists(path))
        {
            files.Add(path);
        }
        return files;
    }

    /// <summary>Appends one complete entry, rotating first when it would not fit.</summary>
    public void WriteEntry(ReadOnlySpan<byte> entry)
    {
        if (_size > 0 && _size + entry.Length > MaxSize)
        {
            Rotate();
        }
        _stream.Write(entry);
        _size += entry.Length;
    }

    /// <summary>Makes written entries visible to readers; called once per batch.</summary>
    public void Flush() => _stream.Flush();

    public void Dispose() => _stream.Dispose();

    private void Rotate()
    {
        _stream.Dispose();
        if (MaxFiles == 1)
        {
            File.Delete(_path);
        }
        else
        {
            File.Delete(RotatedName(_path, MaxFiles - 1));
            for (var i = MaxFiles - 2; i >= 1; i--)
            {
                if (File.Exists(RotatedName(_path, i)))
                {
                    File.Move(RotatedName(_path, i), RotatedName(_path, i + 1));
                }
            }
            File.Move(_path, RotatedName(_path, 1));
        }
        _stream = Open(_path);
        _size = 0;
    }

    private static string RotatedName(string path, int index) => path + "." + index.ToString(CultureInfo.InvariantCulture);

    private static FileStream Open(string path)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 16 * 1024,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return new FileStream(path, options);
    }
}
