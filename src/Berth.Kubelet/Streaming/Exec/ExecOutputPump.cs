using Berth.Kubelet.Interop;

namespace Berth.Kubelet.Streaming.Exec;

/// <summary>
/// Forwards an exec command's output to the client on one dedicated thread: poll(2) over the output descriptors and
/// the command's pidfd, non-blocking reads, and blocking writes to the client streams (a slow client slows the
/// command down, as a full pipe does). Ends when the command has exited and every output reached end of file, or
/// <see cref="DrainTimeout"/> after the exit when a background child still holds an output open. A client that went
/// away makes writes fail; output is then read and dropped so the command never blocks on it.
/// </summary>
internal static unsafe class ExecOutputPump
{
    /// <summary>How long output may keep flowing after the command exited.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Starts the thread; the task completes when forwarding is over (it never faults on client errors).</summary>
    public static Task RunAsync(int pidfd, IReadOnlyList<(int Fd, Stream Target)> outputs, TimeProvider time)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run(pidfd, outputs, time);
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        { IsBackground = true, Name = "berth-exec-io" };
        thread.Start();
        return done.Task;
    }

    private static void Run(int pidfd, IReadOnlyList<(int Fd, Stream Target)> outputs, TimeProvider time)
    {
        var open = outputs.Select(o => new Output(o.Fd, o.Target)).ToList();
        var buffer = new byte[32 * 1024];
        long? exitedAt = null;
        while (open.Count > 0 || exitedAt is null)
        {
            var timeout = -1;
            if (exitedAt is { } since)
            {
                var left = DrainTimeout - time.GetElapsedTime(since);
                if (left <= TimeSpan.Zero)
                {
                    return;
                }
                timeout = (int)Math.Ceiling(left.TotalMilliseconds);
            }
            var fds = new Libc.PollFd[open.Count + (exitedAt is null ? 1 : 0)];
            for (var i = 0; i < open.Count; i++)
            {
                fds[i] = new Libc.PollFd { Fd = open[i].Fd, Events = Libc.POLLIN };
            }
            if (exitedAt is null)
            {
                fds[^1] = new Libc.PollFd { Fd = pidfd, Events = Libc.POLLIN };
            }
            if (!Poll(fds, timeout))
            {
                continue;
            }
            for (var i = open.Count - 1; i >= 0; i--)
            {
                if (fds[i].REvents != 0 && !Drain(open[i], buffer))
                {
                    open.RemoveAt(i);
                }
            }
            if (exitedAt is null && fds[^1].REvents != 0)
            {
                exitedAt = time.GetTimestamp();
            }
        }
    }

    private static bool Poll(Libc.PollFd[] fds, int timeout)
    {
        int ready;
        fixed (Libc.PollFd* p = fds)
        {
            ready = Libc.poll(p, (nuint)fds.Length, timeout);
        }
        if (ready < 0 && Libc.LastError != Libc.EINTR)
        {
            throw new IOException($"poll failed: errno {Libc.LastError}");
        }
        return ready > 0;
    }

    /// <summary>Reads until EAGAIN; false at end of file (or EIO: a terminal whose last slave closed).</summary>
    private static bool Drain(Output output, byte[] buffer)
    {
        while (true)
        {
            nint n;
            fixed (byte* p = buffer)
            {
                n = Libc.read(output.Fd, p, buffer.Length);
            }
            if (n > 0)
            {
                output.Forward(buffer, (int)n);
                continue;
            }
            if (n < 0 && Libc.LastError is Libc.EAGAIN or Libc.EINTR)
            {
                return true;
            }
            // End of file, EIO (the terminal's last slave closed) or another error: this output is finished.
            return false;
        }
    }

    private sealed class Output(int fd, Stream target)
    {
        private bool _broken;

        public int Fd { get; } = fd;

        public void Forward(byte[] buffer, int count)
        {
            if (_broken)
            {
                return;
            }
            try
            {
                target.Write(buffer, 0, count);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
            {
                _broken = true;
            }
        }
    }
}
