namespace Berth.Proxy.Forwarding.Linux;

/// <summary>
/// The relay loop's wait for events with a bounded busy-poll: after a wake-up that had work, the loop keeps polling
/// epoll without sleeping for up to <see cref="ProxyOptions.RelayBusyPoll"/> before it blocks. A proxied round trip
/// wakes the loop twice (request, reply) on top of the client's and the backend's own wake-ups; when the reply or
/// the next request arrives inside the window, that wake-up (the scheduler's switch-in, then epoll's return) is not
/// paid. The same idea as the kernel's busy polling of network queues (SO_BUSY_POLL), at the level of the loop.
/// Spinning is bounded four ways:
/// <list type="bullet">
/// <item>an idle loop never spins: the window only opens after a wake-up with events;</item>
/// <item>it spins only into a spare core (<see cref="RunnableTasks"/>): when other tasks wait for the CPU, the loop
/// sleeps as before and takes its events in batches;</item>
/// <item>at most half the cores' worth of loops spin at once, process-wide;</item>
/// <item>when fewer than half of its recent spins found events, the loop stops spinning for 100 ms.</item>
/// </list>
/// </summary>
/// <remarks>Used by the loop thread only. A zero window (or one core) is a plain blocking <c>epoll_wait</c>.</remarks>
internal sealed unsafe class BusyPoll(TimeSpan window, TimeProvider time) : IDisposable
{
    // Between two empty polls: about a microsecond of pause instructions, so that a poll is not a syscall per
    // hundred nanoseconds and a sibling hyperthread keeps its share.
    private const int PauseIterations = 30;
    private readonly long _windowTicks = (long)(window.TotalSeconds * time.TimestampFrequency);
    // Null when the loop never spins (no window, or one core); only a loop that may spin reads /proc/loadavg.
    private readonly RunnableTasks? _runnable = Environment.ProcessorCount > 1 && window > TimeSpan.Zero ? new(time) : null;

    // Loops spinning at this moment, process-wide. At most half the cores spin at once: two loops spinning on a
    // two-core machine would leave the clients and backends they wait for no core at all.
    private static readonly int s_maxSpinners = Math.Max(1, Environment.ProcessorCount / 2);
    private static int s_spinners;

    // The share of recent spins that found events before the window ended (an average over about the last eight).
    // Below one half, spinning mostly burns CPU that the peers it waits for would have used: the loop then blocks at
    // once for the back-off, and tries again afterwards.
    private const double MinimumHitRate = 0.5;
    private readonly long _backOffTicks = time.TimestampFrequency / 10;
    private double _hitRate = 1;
    private long _spinAgainAt;

    /// <summary>
    /// Waits for events of <paramref name="epoll"/> into <paramref name="events"/>: first polls for up to the window
    /// when <paramref name="afterWork"/> (the previous wake-up had events), then blocks. Returns what epoll_wait
    /// returned (-1 with errno on failure).
    /// </summary>
    public int Wait(int epoll, byte* events, int capacity, bool afterWork)
    {
        if (afterWork && _runnable is not null && time.GetTimestamp() >= _spinAgainAt && _runnable.SpareCore() && TryEnterSpin())
        {
            int ready;
            try
            {
                ready = Spin(epoll, events, capacity);
            }
            finally
            {
                Interlocked.Decrement(ref s_spinners);
            }
            Record(hit: ready != 0);
            if (ready != 0)
            {
                return ready;
            }
        }
        return Epoll.Wait(epoll, events, capacity, -1);
    }

    private void Record(bool hit)
    {
        _hitRate += ((hit ? 1 : 0) - _hitRate) / 8;
        if (_hitRate < MinimumHitRate)
        {
            _spinAgainAt = time.GetTimestamp() + _backOffTicks;
            _hitRate = 0.75;
        }
    }

    private static bool TryEnterSpin()
    {
        if (Interlocked.Increment(ref s_spinners) <= s_maxSpinners)
        {
            return true;
        }
        Interlocked.Decrement(ref s_spinners);
        return false;
    }

    // Polls until events arrive or the window ends; returns 0 when it ended empty.
    private int Spin(int epoll, byte* events, int capacity)
    {
        var until = time.GetTimestamp() + _windowTicks;
        do
        {
            var ready = Epoll.Wait(epoll, events, capacity, 0);
            if (ready != 0)
            {
                return ready;
            }
            Thread.SpinWait(PauseIterations);
        }
        while (time.GetTimestamp() < until);
        return 0;
    }

    public void Dispose() => _runnable?.Dispose();
}
