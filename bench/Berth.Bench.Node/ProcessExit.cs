using System.Runtime.InteropServices;

namespace Berth.Bench.Node;

/// <summary>
/// Waits for a process that is not our child to end, with the precision of the kernel's notification: a pidfd
/// (<c>pidfd_open</c>, Linux ≥ 5.3) becomes readable when the process terminates. One blocking thread per wait.
/// </summary>
internal static partial class ProcessExit
{
    private const long SysPidfdOpen = 434;
    private const short PollIn = 0x1;

    /// <summary>Completes with the timestamp (<see cref="TimeProvider.GetTimestamp"/>) at which <paramref name="pid"/> ended.</summary>
    public static Task<long> WaitAsync(int pid, TimeProvider time, TimeSpan limit)
    {
        var fd = (int)Syscall(SysPidfdOpen, pid, 0);
        if (fd < 0)
        {
            throw new InvalidOperationException($"pidfd_open({pid}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
        return Task.Factory.StartNew(() =>
        {
            try
            {
                var pfd = new PollFd { Fd = fd, Events = PollIn };
                var ready = Poll(ref pfd, 1, (int)limit.TotalMilliseconds);
                var at = time.GetTimestamp();
                return ready == 1 ? at : throw new TimeoutException($"process {pid} still alive after {limit.TotalSeconds:F0} s");
            }
            finally
            {
                Close(fd);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, int pid, uint flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollFd fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
