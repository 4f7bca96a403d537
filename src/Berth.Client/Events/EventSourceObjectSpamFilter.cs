using Berth.Client.WorkQueues;

namespace Berth.Client.Events;

/// <summary>
/// Throttles what one source reports about one object: a token bucket per (source, object), by default a burst of
/// 25 refilled at one event per 5 minutes, which cuts the long tail of objects that are always unhealthy.
/// </summary>
/// <remarks>Mirrors k8s.io/client-go tools/record/events_cache.go (EventSourceObjectSpamFilter). Thread-safe.</remarks>
internal sealed class EventSourceObjectSpamFilter(CorrelatorOptions options, TimeProvider timeProvider)
{
    private readonly object _gate = new();
    private readonly LruCache<string, TokenBucket> _buckets = new(options.LruCacheSize);

    /// <summary>True when <paramref name="e"/> must be dropped.</summary>
    public bool Filter(EventRecord e)
    {
        var key = EventKeys.SpamKey(e);
        lock (_gate)
        {
            if (!_buckets.TryGet(key, out var bucket))
            {
                bucket = new TokenBucket(options.SpamQps, options.SpamBurst, timeProvider);
                _buckets.Set(key, bucket);
            }
            return !bucket.TryTake();
        }
    }
}
