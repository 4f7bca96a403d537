using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Proxy.Forwarding.Linux;

/// <summary>
/// The epoll(7) and eventfd(2) calls of the relay loop. Every call returns -1 and sets errno on failure (read it with
/// <see cref="Marshal.GetLastPInvokeError"/>); none throws. <c>struct epoll_event</c> is packed on x86-64 (12 bytes,
/// data at offset 4) and naturally aligned elsewhere (16 bytes, data at offset 8), so events are read and written
/// through <see cref="EventSize"/> and <see cref="DataOffset"/> instead of a managed struct. Linux only.
/// </summary>
internal static unsafe partial class Epoll
{
    public const uint In = 0x001;
    public const uint Out = 0x004;
    public const uint Err = 0x008;
    public const uint Hup = 0x010;
    public const uint Exclusive = 1u << 28;

    public const int CtlAdd = 1;
    public const int CtlDel = 2;
    public const int CtlMod = 3;

    public const int EINTR = 4;
    public const int EINPROGRESS = 115;
    public const int ECONNABORTED = 103;
    private const int CloseOnExec = 0x80000;
    private const int NonBlocking = 0x800;

    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    public static int Create() => epoll_create1(CloseOnExec);

    /// <summary>A non-blocking eventfd, or an invalid handle (errno set).</summary>
    public static SafeFileHandle CreateEventFd() => new(eventfd(0, CloseOnExec | NonBlocking), ownsHandle: true);

    /// <summary>Adds, modifies (<see cref="CtlAdd"/>, <see cref="CtlMod"/>) or removes (<see cref="CtlDel"/>) <paramref name="fd"/>.</summary>
    public static int Control(int epfd, int op, int fd, uint events, ulong data)
    {
        var ev = stackalloc byte[16];
        Unsafe.WriteUnaligned(ev, events);
        Unsafe.WriteUnaligned(ev + DataOffset, data);
        return epoll_ctl(epfd, op, fd, ev);
    }

    /// <summary>Waits (forever when <paramref name="timeoutMs"/> is -1) for events into <paramref name="buffer"/> of <paramref name="capacity"/> events.</summary>
    public static int Wait(int epfd, byte* buffer, int capacity, int timeoutMs) => epoll_wait(epfd, buffer, capacity, timeoutMs);

    public static uint EventsAt(byte* buffer, int index) => Unsafe.ReadUnaligned<uint>(buffer + (index * EventSize));

    public static ulong DataAt(byte* buffer, int index) => Unsafe.ReadUnaligned<ulong>(buffer + (index * EventSize) + DataOffset);

    /// <summary>Adds one to an eventfd counter, which makes it readable. Throws <see cref="ObjectDisposedException"/> once closed.</summary>
    public static void Signal(SafeFileHandle eventFd)
    {
        ulong one = 1;
        _ = write(eventFd, &one, sizeof(ulong));
    }

    /// <summary>Resets an eventfd counter (non-blocking: returns at once when it is zero).</summary>
    public static void Drain(SafeFileHandle eventFd)
    {
        ulong value;
        _ = read(eventFd, &value, sizeof(ulong));
    }

    public static int Close(int fd) => close(fd);

    /// <summary>Accepts a queued connection as a non-blocking, close-on-exec descriptor; -1 with errno EAGAIN when none is queued.</summary>
    public static int Accept(int listener) => accept4(listener, null, null, CloseOnExec | NonBlocking);

    /// <summary>Starts connecting non-blocking socket <paramref name="fd"/> to a native socket address; -1 with errno EINPROGRESS while under way.</summary>
    public static int Connect(int fd, ReadOnlySpan<byte> address)
    {
        fixed (byte* p = address)
        {
            return connect(fd, p, address.Length);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_wait(int epfd, byte* events, int maxevents, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int eventfd(uint initval, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint read(SafeFileHandle fd, void* buf, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint write(SafeFileHandle fd, void* buf, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int accept4(int fd, void* address, void* length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int connect(int fd, byte* address, int length);
}
