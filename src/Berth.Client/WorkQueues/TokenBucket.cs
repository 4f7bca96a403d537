namespace Berth.Client.WorkQueues;

/// <summary>
/// A token bucket: <c>burst</c> tokens, refilled at <c>ratePerSecond</c>. <see cref="Reserve"/> always takes a token,
/// possibly going into debt, and returns how long the caller must wait for it; <see cref="TryTake"/> takes one only
/// if it is available now. The bucket starts full.
/// </summary>
/// <remarks>Mirrors golang.org/x/time/rate limiter.go (ReserveN/AllowN) on <see cref="TimeProvider"/>, as YARP's Rate/Limiter.cs does. Thread-safe.</remarks>
public sealed class TokenBucket
{
    private readonly object _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly double _ratePerSecond;
    private readonly int _burst;
    private double _tokens;
    private long _lastTimestamp;

    public TokenBucket(double ratePerSecond, int burst, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        _ratePerSecond = ratePerSecond;
        _burst = burst;
        _timeProvider = timeProvider;
        _tokens = burst;
        _lastTimestamp = timeProvider.GetTimestamp();
    }

    /// <summary>Takes a token and returns the wait until it is really available (zero when the bucket had one).</summary>
    public TimeSpan Reserve()
    {
        lock (_gate)
        {
            Refill();
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _ratePerSecond);
        }
    }

    /// <summary>Takes a token if one is available now; never goes into debt.</summary>
    public bool TryTake()
    {
        lock (_gate)
        {
            Refill();
            if (_tokens < 1)
            {
                return false;
            }
            _tokens -= 1;
            return true;
        }
    }

    private void Refill()
    {
        var now = _timeProvider.GetTimestamp();
        var elapsed = _timeProvider.GetElapsedTime(_lastTimestamp, now);
        _lastTimestamp = now;
        if (elapsed > TimeSpan.Zero)
        {
            _tokens = Math.Min(_burst, _tokens + (elapsed.TotalSeconds * _ratePerSecond));
        }
    }
}
