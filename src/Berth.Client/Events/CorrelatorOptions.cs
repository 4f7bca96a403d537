namespace Berth.Client.Events;

/// <summary>Limits of an <see cref="EventCorrelator"/>. Defaults are client-go's.</summary>
/// <remarks>Mirrors k8s.io/client-go tools/record/events_cache.go (CorrelatorOptions and its defaults).</remarks>
public sealed record CorrelatorOptions
{
    /// <summary>Entries of each of the correlator's caches.</summary>
    public int LruCacheSize { get; init; } = 4096;

    /// <summary>Distinct messages of similar events within <see cref="MaxInterval"/> at which they are combined.</summary>
    public int MaxEvents { get; init; } = 10;

    /// <summary>A similar event later than this after the previous one starts a fresh aggregation window.</summary>
    public TimeSpan MaxInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Events a source may send about one object in a burst.</summary>
    public int SpamBurst { get; init; } = 25;

    /// <summary>Refill of that budget: one event every 5 minutes.</summary>
    public double SpamQps { get; init; } = 1.0 / 300.0;
}
