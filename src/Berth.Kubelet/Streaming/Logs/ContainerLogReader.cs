using Berth.ApiServer.Streaming;
using Berth.Kubelet.Runtime.ProcessRuntime.Logs;

namespace Berth.Kubelet.Streaming.Logs;

/// <summary>
/// Serves one <c>kubectl logs</c> request from CRI log files: rotated files oldest first, then the live file, starting
/// where tailLines says; with follow, it then waits for new entries, follows the live file across rotations (the
/// open file is drained, rotated files written meanwhile are read in order, then the new live file), and ends once
/// the container is no longer running and everything it wrote was read.
/// Mirrors kubernetes/kubernetes pkg/kubelet/kuberuntime/logs/logs.go (ReadLogs, waitLogs); polling on the
/// injected <see cref="TimeProvider"/> replaces fsnotify.
/// </summary>
/// <remarks>One instance per request; not thread-safe. Never opens a file outside <see cref="LogSource.RealDirectory"/>.</remarks>
internal sealed class ContainerLogReader(LogSource source, PodLogOptions options, Stream output, TimeProvider time)
{
    /// <summary>How often a follower looks for new output at end of file (upstream waits on fsnotify, 1 s fallback).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly LogOutputWriter _writer = new(output, options);
    private LogLineReader? _lines;
    private FileStream? _live;

    public async Task ReadAsync(CancellationToken cancellationToken)
    {
        _lines = new LogLineReader(_writer);
        // Opened before anything is sent, so a refused file is still a clean error reply.
        var files = OpenAll();
        try
        {
            await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            await ReadFilesAsync(files, cancellationToken).ConfigureAwait(false);
            await _lines.FlushPendingAsync(cancellationToken).ConfigureAwait(false);
            await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var f in files)
            {
                await f.DisposeAsync().ConfigureAwait(false);
            }
            if (_live is not null)
            {
                await _live.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads from the tail start through the live file, then follows it; returns early at the byte limit.</summary>
    private async Task ReadFilesAsync(List<FileStream> files, CancellationToken cancellationToken)
    {
        var (index, offset) = options.TailLines is { } tail ? LogTail.FindStart(files, tail) : (0, 0L);
        for (var i = 0; i < files.Count; i++)
        {
            files[i].Position = i < index ? files[i].Length : i == index ? offset : 0;
        }
        for (var i = 0; i < files.Count - 1; i++)
        {
            if (!await ReadWholeAsync(files[i], cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
        var live = files.Count > 0 && IsLive(files[^1]) ? files[^1] : null;
        if (live is null && files.Count > 0 && !await ReadWholeAsync(files[^1], cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        _live = live ?? Open(source.LivePath);
        if (_live is not null && !await _lines!.ReadToEndAsync(_live, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        if (options.Follow)
        {
            await FollowAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits at end of file for more output, crossing rotations, until the container stops running (then a last read
    /// picks up what it wrote before exiting) or the limit is reached. Keeps the open file in <see cref="_live"/>.
    /// </summary>
    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            var running = await source.IsRunningAsync(cancellationToken).ConfigureAwait(false);
            if (_live is null || !IsLive(_live))
            {
                var old = _live;
                _live = null;
                _live = await CatchUpRotationAsync(old, cancellationToken).ConfigureAwait(false);
            }
            if (_writer.LimitReached || (_live is not null && !await _lines!.ReadToEndAsync(_live, cancellationToken).ConfigureAwait(false)))
            {
                return;
            }
            if (!running)
            {
                return;
            }
            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The followed file was rotated (renamed to <c>.K</c> or deleted): drain it, read the newer rotated files
    /// <c>.K-1</c> … <c>.1</c> in order, and open the new live file (null while it does not exist yet).
    /// </summary>
    private async Task<FileStream?> CatchUpRotationAsync(FileStream? old, CancellationToken cancellationToken)
    {
        var next = source.MaxFiles;
        if (old is not null)
        {
            try
            {
                if (!await ReadWholeAsync(old, cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }
                next = RotationIndex(LogFileGuard.OpenedPath(old));
            }
            finally
            {
                await old.DisposeAsync().ConfigureAwait(false);
            }
        }
        for (var k = next - 1; k >= 1 && old is not null; k--)
        {
            await using var rotated = Open($"{source.LivePath}.{k}");
            if (rotated is not null && !await ReadWholeAsync(rotated, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }
        return Open(source.LivePath);
    }

    /// <summary>K for a file now named <c>LivePath.K</c>; 1 for anything else (deleted or unknown: nothing newer to read).</summary>
    private int RotationIndex(string? openedPath)
    {
        var prefix = RealLivePath() + ".";
        return openedPath is not null && openedPath.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(openedPath.AsSpan(prefix.Length), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var k) ? k : 1;
    }

    private async Task<bool> ReadWholeAsync(FileStream file, CancellationToken cancellationToken) =>
        await _lines!.ReadToEndAsync(file, cancellationToken).ConfigureAwait(false)
        && await _lines.FlushPendingAsync(cancellationToken).ConfigureAwait(false);

    private bool IsLive(FileStream file) => LogFileGuard.OpenedPath(file) == RealLivePath();

    private string RealLivePath() => Path.Combine(source.RealDirectory, Path.GetFileName(source.LivePath));

    private List<FileStream> OpenAll()
    {
        var files = new List<FileStream>();
        try
        {
            foreach (var path in RotatingLogFile.FilesOldestFirst(source.LivePath, source.MaxFiles))
            {
                if (Open(path) is { } file)
                {
                    files.Add(file);
                }
            }
            return files;
        }
        catch
        {
            files.ForEach(f => f.Dispose());
            throw;
        }
    }

    private FileStream? Open(string path) => LogFileGuard.OpenForRead(path, source.RealDirectory);
}
