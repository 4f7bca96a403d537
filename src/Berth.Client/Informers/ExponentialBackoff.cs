namespace Berth.Client.Informers;

/// <summary>Doubling waits between <c>initial</c> and <c>max</c>, with optional jitter; <see cref="Reset"/> after progress.</summary>
/// <remarks>Mirrors k8s.io/apimachinery pkg/util/wait/backoff.go (exponentialBackoffManagerImpl). Not thread-safe: one owner.</remarks>
internal sealed class ExponentialBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly double _jitter;
    private TimeSpan _next;

    public ExponentialBackoff(TimeSpan initial, TimeSpan max, double jitter)
    {
        _initial = initial;
        _max = max;
        _jitter = jitter;
        _next = initial;
    }

    /// <summary>The wait to use now; the following call returns twice as much, up to the maximum.</summary>
    public TimeSpan Next()
    {
        var current = _next;
        _next = TimeSpan.FromTicks(Math.Min(_max.Ticks, current.Ticks * 2));
        return _jitter > 0 ? current + TimeSpan.FromTicks((long)(current.Ticks * _jitter * Random.Shared.NextDouble())) : current;
    }

    public void Reset() => _next = _initial;
}
