using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Client.Events;

/// <summary>
/// Remembers, per correlation key, the Event last written (name, resourceVersion, count, firstTimestamp) so that a
/// repeat becomes a patch of <c>count</c>, <c>lastTimestamp</c> and <c>message</c> on that Event instead of a new one.
/// (Named after upstream's eventLogger; it logs occurrences, not log lines.)
/// </summary>
/// <remarks>Mirrors k8s.io/client-go tools/record/events_cache.go (eventLogger). Thread-safe.</remarks>
internal sealed class EventLogger(int lruCacheSize)
{
    private readonly object _gate = new();
    private readonly LruCache<string, Observation> _cache = new(lruCacheSize);

    /// <summary>Returns the event to write and, for a repeat, the merge patch to apply to the existing Event.</summary>
    public (EventRecord Event, JsonObject? Patch) EventObserve(EventRecord e, string key)
    {
        lock (_gate)
        {
            JsonObject? patch = null;
            if (_cache.TryGet(key, out var last) && last.Count > 0)
            {
                e = e with { Name = last.Name, ResourceVersion = last.ResourceVersion, FirstTimestamp = last.FirstTimestamp, Count = last.Count + 1 };
                patch = new JsonObject
                {
                    ["count"] = e.Count,
                    ["lastTimestamp"] = EventRecord.FormatTime(e.LastTimestamp),
                    ["message"] = e.Message,
                };
            }
            _cache.Set(key, new Observation(e.Count, e.FirstTimestamp, e.Name, e.ResourceVersion));
            return (e, patch);
        }
    }

    /// <summary>Records what the API returned for the Event written under <paramref name="key"/>.</summary>
    public void UpdateState(string key, JsonObject written, EventRecord sent)
    {
        var count = (int)(written.GetLong("count") ?? sent.Count);
        var first = DateTimeOffset.TryParse(written.GetString("firstTimestamp"), System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : sent.FirstTimestamp;
        lock (_gate)
        {
            _cache.Set(key, new Observation(count, first, written.GetName() ?? sent.Name, written.GetResourceVersion() ?? ""));
        }
    }

    private sealed record Observation(int Count, DateTimeOffset FirstTimestamp, string Name, string ResourceVersion);
}
