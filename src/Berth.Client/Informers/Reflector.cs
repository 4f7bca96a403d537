using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Client.Informers;

/// <summary>
/// Keeps an <see cref="IReflectorStore"/> in step with the API: lists (following <c>continue</c> pages), then watches
/// from the list's resourceVersion with bookmarks. Every event and bookmark advances
/// <see cref="LastSyncResourceVersion"/>. A normally closed watch is resumed from there at once; a 410 Expired (on
/// start or as an ERROR event) triggers a relist; any other failure, or a watch that ends within
/// <see cref="ReflectorOptions.VeryShortWatch"/> without events, backs off exponentially before the next attempt.
/// A 410 right after a relist, with no event in between, also backs off so a broken server is not hammered.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/client-go tools/cache/reflector.go (ListAndWatch, watchHandler). Lists always ask for the
/// newest state (no resourceVersion), which is at least as fresh as anything watched before.
/// <see cref="RunAsync"/> is one loop; the store is never called concurrently.
/// </remarks>
public sealed partial class Reflector
{
    private readonly IApiClient _client;
    private readonly ResourceKind _kind;
    private readonly string? _namespace;
    private readonly ListOptions _options;
    private readonly IReflectorStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ReflectorOptions _settings;
    private readonly ExponentialBackoff _backoff;
    private string _lastSyncResourceVersion = "";
    private int _expiredWithoutProgress;

    public Reflector(IApiClient client, ResourceKind kind, string? ns, ListOptions? options, IReflectorStore store,
        TimeProvider timeProvider, ILogger logger, ReflectorOptions? settings = null)
    {
        _client = client;
        _kind = kind;
        _namespace = ns;
        _options = options ?? new ListOptions();
        _store = store;
        _timeProvider = timeProvider;
        _logger = logger;
        _settings = settings ?? new ReflectorOptions();
        _backoff = new ExponentialBackoff(_settings.InitialBackoff, _settings.MaxBackoff, _settings.BackoffJitter);
    }

    /// <summary>The resourceVersion of the last list, event or bookmark applied; empty before the first list.</summary>
    public string LastSyncResourceVersion => Volatile.Read(ref _lastSyncResourceVersion);

    /// <summary>Number of completed lists (the first one included).</summary>
    public int ListCount { get; private set; }

    /// <summary>Lists and watches until <paramref name="cancellationToken"/> fires; never throws for API errors.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var needList = true;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (needList)
                {
                    if (!await TryListAsync(cancellationToken).ConfigureAwait(false))
                    {
                        await BackoffAsync(cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                    needList = false;
                }
                switch (await WatchOnceAsync(cancellationToken).ConfigureAwait(false))
                {
                    case WatchOutcome.Expired:
                        needList = true;
                        if (_expiredWithoutProgress++ > 0)
                        {
                            await BackoffAsync(cancellationToken).ConfigureAwait(false);
                        }
                        break;
                    case WatchOutcome.Failed:
                        await BackoffAsync(cancellationToken).ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task<bool> TryListAsync(CancellationToken cancellationToken)
    {
        try
        {
            var items = new List<JsonObject>();
            List<ReadOnlyMemory<byte>>? utf8 = [];
            var resourceVersion = "";
            string? continueToken = null;
            do
            {
                var page = await _client.ListAsync(_kind, _namespace,
                    _options with { ResourceVersion = null, Continue = continueToken, AllowWatchBookmarks = false, TimeoutSeconds = null },
                    cancellationToken).ConfigureAwait(false);
                if (continueToken is null)
                {
                    resourceVersion = page.ResourceVersion;
                }
                items.AddRange(page.Items);
                if (utf8 is not null && page.Utf8Items is { } raw && raw.Count == page.Items.Count)
                {
                    utf8.AddRange(raw);
                }
                else
                {
                    utf8 = null;
                }
                continueToken = string.IsNullOrEmpty(page.Continue) ? null : page.Continue;
            }
            while (continueToken is not null);

            _store.Replace(items, resourceVersion, utf8);
            Volatile.Write(ref _lastSyncResourceVersion, resourceVersion);
            ListCount++;
            _backoff.Reset();
            Log.Listed(_logger, _kind.GroupResource, items.Count, resourceVersion);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.ListFailed(_logger, _kind.GroupResource, ex);
            return false;
        }
    }

    private async Task<WatchOutcome> WatchOnceAsync(CancellationToken cancellationToken)
    {
        var timeout = (int)(_settings.MinWatchTimeout.TotalSeconds * (1 + Random.Shared.NextDouble()));
        var options = _options with
        {
            ResourceVersion = LastSyncResourceVersion,
            AllowWatchBookmarks = true,
            TimeoutSeconds = timeout,
            Limit = 0,
            Continue = null,
        };
        var started = _timeProvider.GetTimestamp();
        var events = 0;
        try
        {
            await foreach (var ev in _client.WatchAsync(_kind, _namespace, options, cancellationToken).ConfigureAwait(false))
            {
                if (ev.Type == ApiWatchEventType.Error)
                {
                    return ClassifyErrorEvent(ev.Object);
                }
                Apply(ev);
                events++;
                _expiredWithoutProgress = 0;
                _backoff.Reset();
            }
        }
        catch (ApiException ex) when (ex.Code == 410)
        {
            Log.WatchExpired(_logger, _kind.GroupResource, options.ResourceVersion ?? "", ex.Message);
            return WatchOutcome.Expired;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.WatchFailed(_logger, _kind.GroupResource, ex);
            return WatchOutcome.Failed;
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (events == 0 && _timeProvider.GetElapsedTime(started) < _settings.VeryShortWatch)
        {
            Log.VeryShortWatch(_logger, _kind.GroupResource);
            return WatchOutcome.Failed;
        }
        return WatchOutcome.Closed;
    }

    private void Apply(ApiWatchEvent ev)
    {
        switch (ev.Type)
        {
            case ApiWatchEventType.Added:
            case ApiWatchEventType.Modified:
                _store.Upsert(ev.Object, ev.Utf8);
                break;
            case ApiWatchEventType.Deleted:
                _store.Delete(ev.Object);
                break;
        }
        if (ev.Object.GetResourceVersion() is { Length: > 0 } rv)
        {
            Volatile.Write(ref _lastSyncResourceVersion, rv);
        }
    }

    private WatchOutcome ClassifyErrorEvent(JsonObject status)
    {
        var code = status.GetLong("code");
        var reason = status.GetString("reason");
        var message = status.GetString("message") ?? "";
        if (code == 410 || reason is StatusReason.Expired or StatusReason.Gone)
        {
            Log.WatchExpired(_logger, _kind.GroupResource, LastSyncResourceVersion, message);
            return WatchOutcome.Expired;
        }
        Log.WatchErrorEvent(_logger, _kind.GroupResource, code ?? 0, reason ?? "", message);
        return WatchOutcome.Failed;
    }

    private Task BackoffAsync(CancellationToken cancellationToken) =>
        Task.Delay(_backoff.Next(), _timeProvider, cancellationToken);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1310, Level = LogLevel.Debug, Message = "Listed {Resource}: {Count} objects at resourceVersion {ResourceVersion}")]
        public static partial void Listed(ILogger logger, string resource, int count, string resourceVersion);

        [LoggerMessage(EventId = 1311, Level = LogLevel.Warning, Message = "Failed to list {Resource}; backing off")]
        public static partial void ListFailed(ILogger logger, string resource, Exception exception);

        [LoggerMessage(EventId = 1312, Level = LogLevel.Information, Message = "Watch of {Resource} from resourceVersion {ResourceVersion} expired ({Detail}); relisting")]
        public static partial void WatchExpired(ILogger logger, string resource, string resourceVersion, string detail);

        [LoggerMessage(EventId = 1313, Level = LogLevel.Warning, Message = "Watch of {Resource} failed; backing off")]
        public static partial void WatchFailed(ILogger logger, string resource, Exception exception);

        [LoggerMessage(EventId = 1314, Level = LogLevel.Warning, Message = "Watch of {Resource} ended within a second without events; backing off")]
        public static partial void VeryShortWatch(ILogger logger, string resource);

        [LoggerMessage(EventId = 1315, Level = LogLevel.Warning, Message = "Watch of {Resource} sent an error: {Code} {Reason}: {Detail}; backing off")]
        public static partial void WatchErrorEvent(ILogger logger, string resource, long code, string reason, string detail);
    }
}
