using System.Threading.Channels;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Client.Events;

/// <summary>
/// Writes recorded events to the API from one background loop: a bounded queue decouples recorders (which never
/// wait) from the API; each event goes through the <see cref="EventCorrelator"/> and is then created, or patched when
/// it repeats (falling back to create when the Event is gone). Conflicts, 429s, 5xx and transport errors are retried
/// up to <see cref="EventBroadcasterOptions.MaxTries"/> times; other API errors drop the event with a log line.
/// Events are best effort by design, so nothing here ever fails a caller.
/// </summary>
/// <remarks>
/// Mirrors k8s.io/client-go tools/record/event.go (eventBroadcasterImpl, recordToSink, recordEvent). Thread-safe.
/// Unlike client-go's one-at-a-time sink, events about different objects are written concurrently (up to
/// <see cref="EventBroadcasterOptions.MaxConcurrentWrites"/>), so a burst's events share the store's group commits and
/// one event in retry back-off does not hold up the others; the events of one involved object are still correlated
/// and written strictly in the order recorded (the correlator's aggregation and counting keys all include it).
/// </remarks>
public sealed partial class EventBroadcaster
{
    // Per-object write chains kept before completed ones are dropped (a chain is found again only while in flight).
    private const int TailsPruneThreshold = 256;

    private readonly IApiClient _client;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly EventBroadcasterOptions _options;
    private readonly EventCorrelator _correlator;
    private readonly Channel<EventRecord> _queue;

    public EventBroadcaster(IApiClient client, TimeProvider timeProvider, ILogger<EventBroadcaster> logger, EventBroadcasterOptions? options = null)
    {
        _client = client;
        _timeProvider = timeProvider;
        _logger = logger;
        _options = options ?? new EventBroadcasterOptions();
        _correlator = new EventCorrelator(timeProvider, _options.Correlator);
        _queue = Channel.CreateBounded<EventRecord>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>A recorder reporting as <paramref name="source"/>; its events are written by this broadcaster.</summary>
    public IEventRecorder NewRecorder(EventSource source) => new EventRecorder(this, source, _timeProvider, _logger);

    /// <summary>Queues an event without waiting; drops it with a log line when the queue is full or closed.</summary>
    public void Enqueue(EventRecord record)
    {
        if (!_queue.Writer.TryWrite(record))
        {
            Log.Dropped(_logger, record.InvolvedObject.Kind, record.Namespace, record.InvolvedObject.Name, record.Reason);
        }
    }

    /// <summary>Stops accepting events; <see cref="RunAsync"/> returns once the queued ones are written.</summary>
    public void Shutdown() => _queue.Writer.TryComplete();

    /// <summary>
    /// Writes queued events until <see cref="Shutdown"/> and the queue is empty (then waits for the writes in flight),
    /// or until cancellation.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(Math.Max(1, _options.MaxConcurrentWrites));
        var tails = new Dictionary<ObjectReference, Task>();
        try
        {
            await foreach (var record in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                var key = record.InvolvedObject with { FieldPath = "", ResourceVersion = "" };
                var previous = tails.GetValueOrDefault(key) ?? Task.CompletedTask;
                // On the thread pool: an in-process API client may complete a write synchronously, and writes
                // submitted together are what the store commits together.
                tails[key] = Task.Run(() => WriteAfterAsync(previous, record, slots, cancellationToken), CancellationToken.None);
                if (tails.Count > TailsPruneThreshold)
                {
                    PruneCompleted(tails);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped; events still queued are lost, as upstream's are on shutdown.
        }
        finally
        {
            await Task.WhenAll(tails.Values).ConfigureAwait(false);
        }
    }

    // Writes one event after the previous one about the same object; releases its slot whatever happens. Never throws.
    private async Task WriteAfterAsync(Task previous, EventRecord record, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            await previous.ConfigureAwait(false);
            await RecordToSinkAsync(record, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped while writing or backing off: this event is lost, as queued ones are.
        }
        finally
        {
            slots.Release();
        }
    }

    private static void PruneCompleted(Dictionary<ObjectReference, Task> tails)
    {
        foreach (var done in tails.Where(t => t.Value.IsCompleted).Select(t => t.Key).ToList())
        {
            tails.Remove(done);
        }
    }

    private async Task RecordToSinkAsync(EventRecord record, CancellationToken cancellationToken)
    {
        var result = _correlator.Correlate(record);
        if (result.Skip)
        {
            Log.Throttled(_logger, record.InvolvedObject.Kind, record.Namespace, record.InvolvedObject.Name, record.Reason);
            return;
        }
        for (var tries = 1; ; tries++)
        {
            if (await TryWriteAsync(result, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            if (tries >= _options.MaxTries)
            {
                Log.GaveUp(_logger, result.Event.Namespace, result.Event.Name, tries);
                return;
            }
            var wait = tries == 1 ? _options.RetryInterval * Random.Shared.NextDouble() : _options.RetryInterval;
            await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One attempt. True when done (written, or rejected for good); false to retry.</summary>
    private async Task<bool> TryWriteAsync(EventCorrelateResult result, CancellationToken cancellationToken)
    {
        var e = result.Event;
        try
        {
            var written = result.Patch is null ? null : await PatchOrNullAsync(result, cancellationToken).ConfigureAwait(false);
            written ??= await _client.CreateAsync(KindRegistry.Events, e.Namespace, e.ToJson(), cancellationToken: cancellationToken).ConfigureAwait(false);
            _correlator.UpdateState(result, written);
            return true;
        }
        catch (ApiException ex) when (ex.Code is 429 or >= 500 || ex.Reason == StatusReason.Conflict)
        {
            Log.WriteFailedRetrying(_logger, e.Namespace, e.Name, ex);
            return false;
        }
        catch (ApiException ex)
        {
            Log.Rejected(_logger, e.Namespace, e.Name, ex.Reason, ex.Message);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.WriteFailedRetrying(_logger, e.Namespace, e.Name, ex);
            return false;
        }
    }

    /// <summary>Patches the existing Event; null when it no longer exists (TTL) so the caller creates it again.</summary>
    private async Task<System.Text.Json.Nodes.JsonObject?> PatchOrNullAsync(EventCorrelateResult result, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.PatchAsync(KindRegistry.Events, result.Event.Namespace, result.Event.Name, PatchType.Merge,
                result.Patch!.DeepClone(), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Event queue full; dropping event {Reason} about {Kind} {Namespace}/{Name}")]
        public static partial void Dropped(ILogger logger, string kind, string @namespace, string name, string reason);

        [LoggerMessage(EventId = 1402, Level = LogLevel.Debug, Message = "Event {Reason} about {Kind} {Namespace}/{Name} throttled by the spam filter")]
        public static partial void Throttled(ILogger logger, string kind, string @namespace, string name, string reason);

        [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "Unable to write event {Namespace}/{Name}; may retry")]
        public static partial void WriteFailedRetrying(ILogger logger, string @namespace, string name, Exception exception);

        [LoggerMessage(EventId = 1404, Level = LogLevel.Error, Message = "Giving up on event {Namespace}/{Name} after {Tries} tries")]
        public static partial void GaveUp(ILogger logger, string @namespace, string name, int tries);

        [LoggerMessage(EventId = 1407, Level = LogLevel.Warning, Message = "Server rejected event {Namespace}/{Name}: {Reason}: {Detail} (will not retry)")]
        public static partial void Rejected(ILogger logger, string @namespace, string name, string reason, string detail);
    }
}
