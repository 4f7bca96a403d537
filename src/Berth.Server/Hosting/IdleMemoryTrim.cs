namespace Berth.Server.Hosting;

/// <summary>
/// Decides when the server has gone quiet after a burst of work, so that <see cref="IdleMemoryTrimService"/> may give
/// the memory the burst left behind back to the operating system. Fed once per tick with the process's total allocated
/// bytes (<see cref="GC.GetTotalAllocatedBytes(bool)"/>, monotonic): it fires once when at least
/// <see cref="MinimumBurstBytes"/> were allocated since the last trim and the last <see cref="QuietTicks"/> ticks each
/// allocated less than <see cref="QuietBytesPerTick"/>, or after <see cref="Request"/> once the quiet ticks have passed
/// whatever was allocated. A server that never stops allocating (a steady write load) never trims; an idle one trims at
/// most once per burst or request.
/// </summary>
/// <remarks>Not thread-safe: one caller (the service's loop).</remarks>
internal sealed class IdleMemoryTrim
{
    /// <summary>Allocation since the last trim that makes a trim worth its pause (a full compacting collection).</summary>
    public const long MinimumBurstBytes = 64L << 20;

    /// <summary>Allocation per tick below which the tick counts as quiet (the idle server's own loops stay far below).</summary>
    public const long QuietBytesPerTick = 1L << 20;

    /// <summary>Consecutive quiet ticks before a trim.</summary>
    public const int QuietTicks = 3;

    private long _lastSeen = -1;
    private long _atLastTrim;
    private int _quiet;
    private bool _requested;

    /// <summary>Asks for one trim at the next quiet moment even without a burst (see <see cref="Observe"/>).</summary>
    public void Request() => _requested = true;

    /// <summary>Records <paramref name="totalAllocated"/>; true when the caller should trim now (the trim is then counted as done).</summary>
    public bool Observe(long totalAllocated)
    {
        if (_lastSeen < 0)
        {
            _lastSeen = totalAllocated;
            _atLastTrim = totalAllocated;
            return false;
        }
        var tick = totalAllocated - _lastSeen;
        _lastSeen = totalAllocated;
        _quiet = tick < QuietBytesPerTick ? _quiet + 1 : 0;
        if (_quiet < QuietTicks || (totalAllocated - _atLastTrim < MinimumBurstBytes && !_requested))
        {
            return false;
        }
        _atLastTrim = totalAllocated;
        _quiet = 0;
        _requested = false;
        return true;
    }
}
