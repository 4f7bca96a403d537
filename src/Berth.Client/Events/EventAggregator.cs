namespace Berth.Client.Events;

/// <summary>
/// Combines similar events (same source, object, type and reason; different messages): once
/// <see cref="CorrelatorOptions.MaxEvents"/> distinct messages were seen with no gap longer than
/// <see cref="CorrelatorOptions.MaxInterval"/>, further ones become a single event named afresh whose message is
/// <c>(combined from similar events): &lt;latest message&gt;</c>, counted up under the aggregate key.
/// </summary>
/// <remarks>Mirrors k8s.io/client-go tools/record/events_cache.go (EventAggregator, EventAggregatorByReasonMessageFunc). Thread-safe.</remarks>
internal sealed class EventAggregator(CorrelatorOptions options, TimeProvider timeProvider)
{
    public const string CombinedPrefix = "(combined from similar events): ";

    private readonly object _gate = new();
    private readonly LruCache<string, AggregateRecord> _cache = new(options.LruCacheSize);

    /// <summary>Returns the event to record and its correlation key (the event key, or the aggregate key once combined).</summary>
    public (EventRecord Event, string Key) EventAggregate(EventRecord e)
    {
        var now = timeProvider.GetUtcNow();
        var (aggregateKey, localKey) = EventKeys.AggregateKeys(e);
        lock (_gate)
        {
            if (!_cache.TryGet(aggregateKey, out var record) || now - record.LastTimestamp > options.MaxInterval)
            {
                record = new AggregateRecord();
            }
            record.LocalKeys.Add(localKey);
            record.LastTimestamp = now;
            _cache.Set(aggregateKey, record);
            if (record.LocalKeys.Count < options.MaxEvents)
            {
                return (e, EventKeys.EventKey(e));
            }
            // Keep the set from growing past the threshold; which message goes does not matter.
            record.LocalKeys.Remove(record.LocalKeys.First());
        }
        var combined = e with
        {
            Name = EventRecord.MakeName(e.InvolvedObject.Name, now),
            Message = CombinedPrefix + e.Message,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
            ResourceVersion = "",
        };
        return (combined, aggregateKey);
    }

    private sealed class AggregateRecord
    {
        public HashSet<string> LocalKeys { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset LastTimestamp { get; set; }
    }
}
