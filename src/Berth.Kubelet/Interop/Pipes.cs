namespace Berth.Kubelet.Interop;

/// <summary>Anonymous pipes for handing a child its output descriptors.</summary>
internal static unsafe class Pipes
{
    private const int F_SETFL = 4;

    /// <summary>
    /// A close-on-exec pipe whose read end is non-blocking (for the poller) and whose write end stays blocking, as a
    /// child expects of its stdout: (read end, write end). Throws <see cref="IOException"/> on failure.
    /// </summary>
    public static (int Read, int Write) Create()
    {
        var fds = stackalloc int[2];
        if (Libc.pipe2(fds, Libc.O_CLOEXEC) != 0)
        {
            throw new IOException($"pipe2 failed: errno {Libc.LastError}");
        }
        if (Libc.fcntl(fds[0], F_SETFL, Libc.O_NONBLOCK) != 0)
        {
            var errno = Libc.LastError;
            Libc.close(fds[0]);
            Libc.close(fds[1]);
            throw new IOException($"fcntl(O_NONBLOCK) failed: errno {errno}");
        }
        return (fds[0], fds[1]);
    }
}
