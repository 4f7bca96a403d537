namespace Berth.Kubelet.Util;

/// <summary>
/// Per-key exponential back-off measured from event times (a container's finishedAt): the first
/// <see cref="Next"/> sets <see cref="InitialDuration"/>, each later one doubles it up to <see cref="MaxDuration"/>,
/// and an entry not touched for 2 × max counts as expired ("stable"), so the next failure starts over.
/// No jitter: the kubelet's crash-loop back-off uses none. Mirrors kubernetes/client-go util/flowcontrol/backoff.go.
/// </summary>
/// <remarks>Thread-safe (one lock). Time comes only from the injected <see cref="TimeProvider"/>.</remarks>
public sealed class Backoff(TimeSpan initialDuration, TimeSpan maxDuration, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public TimeSpan InitialDuration { get; } = initialDuration;

    public TimeSpan MaxDuration { get; } = maxDuration;

    /// <summary>The current back-off of <paramref name="id"/>; zero when it has none.</summary>
    public TimeSpan Get(string id)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(id, out var entry) ? entry.Backoff : TimeSpan.Zero;
        }
    }

    /// <summary>Records an attempt for <paramref name="id"/> caused by an event at <paramref name="eventTime"/>.</summary>
    public void Next(string id, DateTimeOffset eventTime)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(id, out var entry) || HasExpired(eventTime, entry.LastUpdate))
            {
                entry = new Entry(InitialDuration, time.GetUtcNow());
            }
            else
            {
                var doubled = entry.Backoff * 2;
                entry = new Entry(doubled > MaxDuration ? MaxDuration : doubled, time.GetUtcNow());
            }

            _entries[id] = entry;
        }
    }

    /// <summary>
    /// True while less than the current back-off has passed since <paramref name="eventTime"/>, unless the entry
    /// has expired relative to that event.
    /// </summary>
    public bool IsInBackOffSince(string id, DateTimeOffset eventTime)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(id, out var entry) || HasExpired(eventTime, entry.LastUpdate))
            {
                return false;
            }

            return time.GetUtcNow() - eventTime < entry.Backoff;
        }
    }

    /// <summary>How long until <paramref name="id"/> leaves back-off for an event at <paramref name="eventTime"/> (zero when not in back-off).</summary>
    public TimeSpan Remaining(string id, DateTimeOffset eventTime)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(id, out var entry) || HasExpired(eventTime, entry.LastUpdate))
            {
                return TimeSpan.Zero;
            }

            var left = entry.Backoff - (time.GetUtcNow() - eventTime);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>Forgets entries not updated for 2 × max (housekeeping).</summary>
    public void GC()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            foreach (var key in _entries.Where(e => now - e.Value.LastUpdate > MaxDuration * 2).Select(e => e.Key).ToList())
            {
                _entries.Remove(key);
            }
        }
    }

    /// <summary>Forgets every entry whose key starts with <paramref name="prefix"/> (a removed pod).</summary>
    public void DeleteByPrefix(string prefix)
    {
        lock (_gate)
        {
            foreach (var key in _entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                _entries.Remove(key);
            }
        }
    }

    private bool HasExpired(DateTimeOffset eventTime, DateTimeOffset lastUpdate) => eventTime - lastUpdate > MaxDuration * 2;

    private readonly record struct Entry(TimeSpan Backoff, DateTimeOffset LastUpdate);
}
