using Berth.Kubelet.Interop;

namespace Berth.Kubelet.Streaming.Attach;

/// <summary>
/// The write end of a container's stdin.fifo or control.fifo, opened non-blocking: opening fails (null) when no
/// reader holds the FIFO (the shim is gone, or the sh shim never served it), and a full pipe is retried every
/// <see cref="RetryInterval"/> instead of blocking a thread. Writes of at most PIPE_BUF bytes are atomic.
/// </summary>
/// <remarks>One writer at a time per instance; <see cref="Dispose"/> closes the descriptor (after the last write returned).</remarks>
internal sealed class FifoWriter : IDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(10);

    private int _fd;

    private FifoWriter(int fd) => _fd = fd;

    /// <summary>Opens <paramref name="path"/> for writing, or null when it has no reader or does not exist.</summary>
    public static FifoWriter? TryOpen(string path)
    {
        var fd = Libc.open(path, Libc.O_WRONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
        return fd < 0 ? null : new FifoWriter(fd);
    }

    /// <summary>Writes one short command line (opens, writes, closes); false when nobody reads the FIFO.</summary>
    public static unsafe bool TrySend(string path, string line)
    {
        using var writer = TryOpen(path);
        if (writer is null)
        {
            return false;
        }
        var bytes = System.Text.Encoding.ASCII.GetBytes(line);
        fixed (byte* p = bytes)
        {
            return Libc.write(writer._fd, p, bytes.Length) == bytes.Length;
        }
    }

    /// <summary>
    /// Writes all of <paramref name="data"/>, waiting while the pipe is full. <see cref="IOException"/> when the reader
    /// went away (EPIPE) or the write failed otherwise; cancellation throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> data, TimeProvider time, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var written = WriteSome(data.Span);
            if (written > 0)
            {
                data = data[written..];
                continue;
            }
            await Task.Delay(RetryInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            Libc.close(_fd);
            _fd = -1;
        }
    }

    // Bytes written, or 0 when the pipe is full (or the call was interrupted).
    private unsafe int WriteSome(ReadOnlySpan<byte> data)
    {
        nint n;
        fixed (byte* p = data)
        {
            n = Libc.write(_fd, p, data.Length);
        }
        if (n >= 0)
        {
            return (int)n;
        }
        var error = Libc.LastError;
        return error is Libc.EAGAIN or Libc.EINTR ? 0 : throw new IOException($"write to the container's stdin failed: errno {error}");
    }
}
