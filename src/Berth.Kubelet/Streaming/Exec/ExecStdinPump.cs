using Berth.Kubelet.Interop;

namespace Berth.Kubelet.Streaming.Exec;

/// <summary>
/// Copies the client's stdin into the command: non-blocking writes to the pipe or terminal master, retried on the
/// <see cref="TimeProvider"/> while the command does not read (no thread is blocked). At end of stdin a terminal gets
/// its EOF character (^D) and a pipe is closed. Stops quietly when the command is gone (EPIPE/EIO) or on cancellation.
/// </summary>
internal static class ExecStdinPump
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(10);

    private const byte EndOfTransmission = 0x04;

    public static async Task RunAsync(Stream stdin, ExecProcessHandle process, bool tty, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var n = await stdin.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }
                if (!await WriteAllAsync(process.StdinFd, buffer.AsMemory(0, n), time, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
            if (tty)
            {
                await WriteAllAsync(process.StdinFd, new[] { EndOfTransmission }, time, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                process.CloseStdin();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The session is over or the client went away: nothing more to deliver.
        }
    }

    /// <summary>Writes everything; false when the descriptor is closed or the reader is gone.</summary>
    private static async Task<bool> WriteAllAsync(int fd, ReadOnlyMemory<byte> data, TimeProvider time, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            if (fd < 0)
            {
                return false;
            }
            var written = Write(fd, data.Span);
            if (written > 0)
            {
                data = data[(int)written..];
                continue;
            }
            if (written < 0 && Libc.LastError is not (Libc.EAGAIN or Libc.EINTR))
            {
                return false;
            }
            await Task.Delay(RetryDelay, time, cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    private static unsafe nint Write(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            return Libc.write(fd, p, data.Length);
        }
    }
}
