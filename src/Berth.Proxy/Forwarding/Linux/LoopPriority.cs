using System.Runtime.InteropServices;

namespace Berth.Proxy.Forwarding.Linux;

/// <summary>
/// The nice value of the calling thread (Linux threads have their own; raising it needs no privilege). Relay loops
/// raise theirs so that, when every core is busy, the proxy's own relaying yields to the server's thread-pool work
/// (the control path that applies endpoint changes) instead of the other way round; the server's pod-path warm-up
/// thread raises its own the same way. Linux only.
/// </summary>
public static partial class LoopPriority
{
    private const int PrioProcess = 0;

    /// <summary>Sets the calling thread's nice value; returns false (errno set) when the kernel refused.</summary>
    public static bool SetCurrentThreadNice(int nice) => setpriority(PrioProcess, gettid(), nice) == 0;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setpriority(int which, int who, int prio);

    [LibraryImport("libc")]
    private static partial int gettid();
}
