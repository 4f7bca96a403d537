using System.Runtime.InteropServices;
using Berth.Proxy.Forwarding.Linux;

namespace Berth.UnitTests.Proxy;

public sealed class BusyPollTests
{
    [Theory]
    [InlineData("0.50 0.40 0.30 3/120 4567\n", 3)]
    [InlineData("12.01 9.87 4.00 17/1033 99\n", 17)]
    public void Parse_LoadavgLine_ReturnsRunningCount(string line, int running) =>
        Assert.Equal(running, RunnableTasks.Parse(System.Text.Encoding.ASCII.GetBytes(line)));

    [Theory]
    [InlineData("")]
    [InlineData("0.50 0.40 0.30 x/120 4567")]
    [InlineData("0.50 0.40 0.30 /120 4567")]
    public void Parse_Malformed_ReturnsNull(string line) =>
        Assert.Null(RunnableTasks.Parse(System.Text.Encoding.ASCII.GetBytes(line)));

    [Fact]
    public void SpareCore_OnThisMachine_AnswersFromProcLoadavg()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        using var runnable = new RunnableTasks(TimeProvider.System);
        var running = RunnableTasks.Parse(File.ReadAllBytes("/proc/loadavg"));

        Assert.NotNull(running);
        Assert.True(running >= 1);
        Assert.Equal(runnable.SpareCore(), runnable.SpareCore());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Wait_EventArrivesLater_ReturnsIt(bool afterWork)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        using var fixture = new EpollFixture();
        using var poll = new BusyPoll(TimeSpan.FromMicroseconds(50), TimeProvider.System);
        var signaller = SignalLater(fixture, TimeSpan.FromMilliseconds(50));

        var ready = fixture.Wait(poll, afterWork);

        Assert.Equal(1, ready);
        await signaller.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Wait_AfterWorkWithNothingArriving_BlocksInsteadOfSpinning()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        using var fixture = new EpollFixture();
        using var poll = new BusyPoll(TimeSpan.FromMicroseconds(50), TimeProvider.System);
        var signaller = SignalLater(fixture, TimeSpan.FromMilliseconds(400));
        long cpuTicks = 0;
        var ready = 0;
        var thread = new Thread(() =>
        {
            var before = ThreadCpuTicks();
            ready = fixture.Wait(poll, afterWork: true);
            cpuTicks = ThreadCpuTicks() - before;
        });

        thread.Start();

        Assert.True(thread.Join(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, ready);
        // 400 ms of waiting; a spinning thread would have used ~40 clock ticks. Allow a few for scheduling noise.
        Assert.InRange(cpuTicks, 0, 5);
        await signaller.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static Task SignalLater(EpollFixture fixture, TimeSpan delay) => Task.Run(async () =>
    {
        await Task.Delay(delay);
        Epoll.Signal(fixture.EventFd);
    });

    /// <summary>utime + stime of the calling thread, in clock ticks (fields 14 and 15 of /proc/thread-self/stat).</summary>
    private static long ThreadCpuTicks()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[14 - 3], System.Globalization.CultureInfo.InvariantCulture)
            + long.Parse(fields[15 - 3], System.Globalization.CultureInfo.InvariantCulture);
    }

    private sealed unsafe class EpollFixture : IDisposable
    {
        private readonly int _epoll = Epoll.Create();

        public EpollFixture()
        {
            EventFd = Epoll.CreateEventFd();
            Assert.True(_epoll >= 0 && !EventFd.IsInvalid);
            Assert.Equal(0, Epoll.Control(_epoll, Epoll.CtlAdd, (int)EventFd.DangerousGetHandle(), Epoll.In, 7));
        }

        public Microsoft.Win32.SafeHandles.SafeFileHandle EventFd { get; }

        public int Wait(BusyPoll poll, bool afterWork)
        {
            var events = (byte*)NativeMemory.Alloc((nuint)(4 * Epoll.EventSize));
            try
            {
                return poll.Wait(_epoll, events, 4, afterWork);
            }
            finally
            {
                NativeMemory.Free(events);
            }
        }

        public void Dispose()
        {
            EventFd.Dispose();
            Epoll.Close(_epoll);
        }
    }
}
