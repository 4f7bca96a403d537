using System.Runtime.InteropServices;

namespace Berth.Kubelet.Interop;

/// <summary>
/// The handful of libc calls the process runtime needs. Every function returns -1 and sets errno on failure
/// (read it with <see cref="Marshal.GetLastPInvokeError"/>); none of them throws. Linux only.
/// </summary>
internal static unsafe partial class Libc
{
    public const int EINTR = 4;
    public const int ECHILD = 10;
    public const int EAGAIN = 11;
    public const int ESRCH = 3;
    public const int ENOSYS = 38;

    public const int O_RDONLY = 0x0;
    public const int O_WRONLY = 0x1;
    public const int O_RDWR = 0x2;
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;

    public const int F_SETPIPE_SZ = 1031;
    public const int WNOHANG = 1;

    public const short POLLIN = 0x1;
    public const short POLLERR = 0x8;
    public const short POLLHUP = 0x10;
    public const short POLLNVAL = 0x20;

    public const int EFD_CLOEXEC = 0x80000;
    public const int EFD_NONBLOCK = 0x800;

    /// <summary>pidfd_open(2): same number on x86_64 and arm64 (new syscalls share one table).</summary>
    public const long SYS_pidfd_open = 434;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int sig);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int getpgid(int pid);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkfifo(string path, int mode);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fcntl(int fd, int cmd, int arg);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int eventfd(uint initval, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number, int pid, uint flags);

    /// <summary>pidfd_open(2) (Linux 5.3+): a descriptor that polls readable once <paramref name="pid"/> has exited.</summary>
    public static int PidfdOpen(int pid) => (int)syscall(SYS_pidfd_open, pid, 0);

    public static int LastError => Marshal.GetLastPInvokeError();

    /// <summary>
    /// Reaps the child <paramref name="pid"/> and returns its wait status; null when it is still running (with
    /// <paramref name="block"/> false) or is not our child (ECHILD: another process reaps it).
    /// </summary>
    public static int? Reap(int pid, bool block)
    {
        int status;
        int result;
        do
        {
            result = waitpid(pid, &status, block ? 0 : WNOHANG);
        }
        while (result < 0 && LastError == EINTR);
        return result == pid ? status : null;
    }
}
