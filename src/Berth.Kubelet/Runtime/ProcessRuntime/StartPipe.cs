using System.Globalization;
using System.Text;
using Berth.Kubelet.Interop;

namespace Berth.Kubelet.Runtime.ProcessRuntime;

/// <summary>
/// The pipe on which the container's init step reports its PID (fd 3 in the shim). EOF without a PID means the
/// init step failed before exec (cgroup join or chdir) and the shim will record the exit.
/// </summary>
internal static class StartPipe
{
    /// <summary>Reads until EOF on the poller (which takes ownership of <paramref name="readFd"/>) and parses the PID.</summary>
    public static async Task<int?> ReadPidAsync(FdPoller poller, int readFd, TimeProvider time, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var buffer = new byte[64];
        var registration = poller.Register(readFd, _ =>
        {
            while (true)
            {
                var n = Read(readFd, buffer);
                if (n > 0)
                {
                    text.Append(Encoding.ASCII.GetString(buffer, 0, (int)n));
                    continue;
                }
                if (n < 0 && Libc.LastError is Libc.EAGAIN or Libc.EINTR)
                {
                    return true;
                }
                done.TrySetResult();
                return false;
            }
        });
        try
        {
            await done.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            poller.Unregister(registration);
            return null;
        }
        return int.TryParse(text.ToString().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    private static unsafe nint Read(int fd, byte[] buffer)
    {
        fixed (byte* p = buffer)
        {
            return Libc.read(fd, p, buffer.Length);
        }
    }
}
