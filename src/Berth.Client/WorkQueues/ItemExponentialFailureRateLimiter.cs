namespace Berth.Client.WorkQueues;

/// <summary>
/// Per-item exponential backoff: the n-th failure (from 0) waits <c>baseDelay × 2ⁿ</c>, capped at <c>maxDelay</c>.
/// With 5 ms and 1000 s (client-go's default controller limiter) the waits are 5 ms, 10 ms, 20 ms … 1000 s.
/// </summary>
/// <remarks>Mirrors kubernetes/client-go util/workqueue/default_rate_limiters.go (ItemExponentialFailureRateLimiter). Thread-safe.</remarks>
public sealed class ItemExponentialFailureRateLimiter<T>(TimeSpan baseDelay, TimeSpan maxDelay) : IRateLimiter<T>
    where T : notnull
{
    private readonly object _gate = new();
    private readonly Dictionary<T, int> _failures = [];

    public TimeSpan When(T item)
    {
        int exp;
        lock (_gate)
        {
            exp = _failures.GetValueOrDefault(item);
            _failures[item] = exp + 1;
        }
        // Computed in double so that large exponents saturate at maxDelay instead of overflowing.
        var backoffTicks = baseDelay.Ticks * Math.Pow(2, exp);
        return backoffTicks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)backoffTicks);
    }

    public void Forget(T item)
    {
        lock (_gate)
        {
            _failures.Remove(item);
        }
    }

    public int NumRequeues(T item)
    {
        lock (_gate)
        {
            return _failures.GetValueOrDefault(item);
        }
    }
}
