namespace Berth.Controllers.DaemonSet;

/// <summary>
/// Per-key exponential back-off for replacing failed daemon pods, keyed by DaemonSet UID, observed generation and
/// node, so that a daemon crashing at once after start is not deleted and recreated in a hot loop. The first
/// <see cref="Next"/> sets <see cref="InitialDuration"/>, each later one doubles it up to <see cref="MaxDuration"/>;
/// an entry not touched for 2 × max has expired and the next failure starts over. A spec change changes the observed
/// generation and so starts a fresh key.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/client-go util/flowcontrol/backoff.go (Backoff: Next, Get, IsInBackOffSinceUpdate, GC) as the
/// DaemonSet controller uses it (failedPodsBackoff: 1 s initial, 15 min max). Thread-safe (one lock); time only from
/// the injected <see cref="TimeProvider"/>.
/// </remarks>
public sealed class FailedPodsBackoff(TimeProvider timeProvider, TimeSpan? initialDuration = null, TimeSpan? maxDuration = null)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (TimeSpan Backoff, DateTimeOffset LastUpdate)> _entries = new(StringComparer.Ordinal);

    public TimeSpan InitialDuration { get; } = initialDuration ?? TimeSpan.FromSeconds(1);

    public TimeSpan MaxDuration { get; } = maxDuration ?? TimeSpan.FromMinutes(15);

    /// <summary>The back-off key of a node's daemon pod (upstream failedPodsBackoffKey).</summary>
    public static string Key(string dsUid, long observedGeneration, string nodeName) => $"{dsUid}/{observedGeneration}/{nodeName}";

    /// <summary>The current back-off of <paramref name="key"/>; zero when it has none.</summary>
    public TimeSpan Get(string key)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(key, out var e) ? e.Backoff : TimeSpan.Zero;
        }
    }

    /// <summary>Records a failure handled now: starts or doubles the back-off.</summary>
    public void Next(string key)
    {
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var e) || now - e.LastUpdate > MaxDuration * 2)
            {
                _entries[key] = (InitialDuration, now);
                return;
            }
            var doubled = e.Backoff * 2;
            _entries[key] = (doubled > MaxDuration ? MaxDuration : doubled, now);
        }
    }

    /// <summary>True while less than the current back-off has passed since the last <see cref="Next"/>.</summary>
    public bool IsInBackOffSinceUpdate(string key)
    {
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            return _entries.TryGetValue(key, out var e) && now - e.LastUpdate <= MaxDuration * 2 && now - e.LastUpdate < e.Backoff;
        }
    }

    /// <summary>Forgets entries not updated for 2 × max. Cheap; the controller calls it at most once a minute.</summary>
    public void GC()
    {
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            foreach (var key in _entries.Where(e => now - e.Value.LastUpdate > MaxDuration * 2).Select(e => e.Key).ToList())
            {
                _entries.Remove(key);
            }
        }
    }
}
