using System.Runtime.InteropServices;

namespace Berth.Kubelet.Interop;

/// <summary>
/// Pseudo-terminals for <c>kubectl exec -t</c>: a master the agent reads and writes, and a slave path the child opens
/// as its stdin/stdout/stderr. A child spawned with setsid that opens the slave without O_NOCTTY acquires it as its
/// controlling terminal (its process group becomes the foreground group), so ^C and hang-up reach it.
/// Linux only; TIOCSWINSZ has the same number on x86_64 and arm64.
/// </summary>
internal static unsafe partial class Pty
{
    private const int O_NOCTTY = 0x100;
    private const nuint TIOCSWINSZ = 0x5414;

    [StructLayout(LayoutKind.Sequential)]
    private struct WinSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }

    /// <summary>
    /// Opens a new master (read-write, close-on-exec, no controlling tty for the agent) and returns it with the path of
    /// its slave. Throws <see cref="IOException"/> with the errno on failure; the caller owns the master descriptor.
    /// </summary>
    public static (int Master, string SlavePath) Open()
    {
        var master = posix_openpt(Libc.O_RDWR | O_NOCTTY | Libc.O_CLOEXEC);
        if (master < 0)
        {
            throw new IOException($"posix_openpt failed: errno {Libc.LastError}");
        }
        var buffer = stackalloc byte[128];
        if (grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, buffer, 128) != 0)
        {
            var errno = Libc.LastError;
            Libc.close(master);
            throw new IOException($"preparing the pseudo-terminal failed: errno {errno}");
        }
        return (master, Marshal.PtrToStringUTF8((nint)buffer)!);
    }

    /// <summary>Sets the terminal size (TIOCSWINSZ on the master); the kernel sends SIGWINCH to the foreground group. False on error.</summary>
    public static bool SetSize(int master, ushort columns, ushort rows)
    {
        var size = new WinSize { Rows = rows, Columns = columns };
        return ioctl(master, TIOCSWINSZ, &size) == 0;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int posix_openpt(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int grantpt(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int unlockpt(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ptsname_r(int fd, byte* buffer, nuint length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ioctl(int fd, nuint request, void* argument);
}
