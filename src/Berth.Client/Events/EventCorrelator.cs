using System.Text.Json.Nodes;

namespace Berth.Client.Events;

/// <summary>
/// Decides what to write for each recorded event, in three steps: <b>aggregate</b> similar events into a combined
/// one, <b>count</b> repeats of the same event as a patch of the existing Event, and <b>filter</b> spam (a source
/// over its per-object budget is dropped). Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>Mirrors k8s.io/client-go tools/record/events_cache.go (EventCorrelator.EventCorrelate, UpdateState). Thread-safe.</remarks>
public sealed class EventCorrelator
{
    private readonly EventAggregator _aggregator;
    private readonly EventLogger _logger;
    private readonly EventSourceObjectSpamFilter _spamFilter;

    public EventCorrelator(TimeProvider timeProvider, CorrelatorOptions? options = null)
    {
        options ??= new CorrelatorOptions();
        _aggregator = new EventAggregator(options, timeProvider);
        _logger = new EventLogger(options.LruCacheSize);
        _spamFilter = new EventSourceObjectSpamFilter(options, timeProvider);
    }

    public EventCorrelateResult Correlate(EventRecord e)
    {
        var (aggregated, key) = _aggregator.EventAggregate(e);
        var (observed, patch) = _logger.EventObserve(aggregated, key);
        return _spamFilter.Filter(observed)
            ? new EventCorrelateResult(observed, null, key, Skip: true)
            : new EventCorrelateResult(observed, patch, key, Skip: false);
    }

    /// <summary>After a successful write: remember the API's name, resourceVersion and count for the next repeat.</summary>
    public void UpdateState(EventCorrelateResult result, JsonObject written) => _logger.UpdateState(result.Key, written, result.Event);
}

/// <summary>What to write: create <see cref="Event"/>, or when <see cref="Patch"/> is set merge-patch the existing Event of that name; nothing when <see cref="Skip"/>.</summary>
public sealed record EventCorrelateResult(EventRecord Event, JsonObject? Patch, string Key, bool Skip);
