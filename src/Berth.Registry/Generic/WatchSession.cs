using System.Threading.Channels;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Storage;

namespace Berth.Registry.Generic;

/// <summary>
/// One open watch: the synthetic ADDED events of the initial state, then store events filtered by the watcher's
/// selectors, BOOKMARKs when allowed, the <c>timeoutSeconds</c> deadline, and an ERROR event when the store dropped a
/// watcher that fell behind. Mirrors kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/storage/cacher/cache_watcher.go
/// (cacheWatcher: process, nextBookmarkTime).
/// </summary>
/// <remarks>
/// Single consumer: <see cref="NextAsync"/> must not be called concurrently. Dispose unsubscribes from the store.
/// Bookmarks carry the newest revision this watcher has seen (events filtered out included): at least once per
/// <see cref="RegistryOptions.BookmarkInterval"/> of idleness and shortly before the deadline.
/// </remarks>
internal sealed class WatchSession : IDisposable
{
    private readonly ResourceKind _kind;
    private readonly ListPredicate _predicate;
    private readonly IStoreWatch _watch;
    private readonly Queue<ApiWatchEvent> _initial;
    private readonly TimeProvider _time;
    private readonly RegistryOptions _options;
    private readonly bool _bookmarks;
    private readonly DateTimeOffset? _deadline;
    private DateTimeOffset? _nextBookmark;
    private long _lastRevision;
    private bool _ended;

    public WatchSession(ResourceKind kind, ListPredicate predicate, IStoreWatch watch, IEnumerable<ApiWatchEvent> initial,
        long startRevision, ListOptions options, TimeProvider time, RegistryOptions registryOptions)
    {
        (_kind, _predicate, _watch, _time, _options) = (kind, predicate, watch, time, registryOptions);
        _initial = new Queue<ApiWatchEvent>(initial);
        _lastRevision = startRevision;
        _bookmarks = options.AllowWatchBookmarks;
        var now = time.GetUtcNow();
        _deadline = options.TimeoutSeconds is > 0 ? now.AddSeconds(options.TimeoutSeconds.Value) : null;
        _nextBookmark = NextBookmarkTime(now);
    }

    /// <summary>The next event, or null when the watch is over (deadline, or the store ended it).</summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> fires.</exception>
    public async Task<ApiWatchEvent?> NextAsync(CancellationToken cancellationToken)
    {
        if (_initial.TryDequeue(out var first))
        {
            return first;
        }
        var reader = _watch.Events;
        while (!_ended)
        {
            while (reader.TryRead(out var e))
            {
                _lastRevision = Math.Max(_lastRevision, e.Object.Revision);
                if (WatchEvents.Convert(e, _predicate, _kind) is { } converted)
                {
                    return converted;
                }
            }
            if (reader.Completion.IsCompleted)
            {
                return Finish(reader);
            }
            var now = _time.GetUtcNow();
            if (_deadline <= now)
            {
                _ended = true;
                return null;
            }
            if (_nextBookmark <= now)
            {
                _nextBookmark = NextBookmarkTime(now);
                return WatchEvents.Bookmark(_kind, _lastRevision);
            }
            await WaitAsync(reader, Earliest(_deadline, _nextBookmark) - now, cancellationToken).ConfigureAwait(false);
        }
        return null;
    }

    public void Dispose() => _watch.Dispose();

    private async Task WaitAsync(ChannelReader<StoreEvent> reader, TimeSpan? delay, CancellationToken cancellationToken)
    {
        using var timer = delay is null ? null : new CancellationTokenSource(delay.Value < TimeSpan.Zero ? TimeSpan.Zero : delay.Value, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer?.Token ?? CancellationToken.None);
        try
        {
            await reader.WaitToReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The bookmark or deadline timer fired; the loop decides what to do.
        }
        catch (Exception) when (reader.Completion.IsCompleted)
        {
            // Completed with an error; Finish reports it.
        }
    }

    /// <summary>The store closed the channel: normally on dispose, with <see cref="WatchTooSlowException"/> for a laggard.</summary>
    private ApiWatchEvent? Finish(ChannelReader<StoreEvent> reader)
    {
        _ended = true;
        if (reader.Completion.Exception?.InnerException is { } error)
        {
            return WatchEvents.Error(error is StoreCompactedException compacted
                ? ApiErrors.TooOldResourceVersion(compacted.Requested, compacted.Compacted)
                : ApiErrors.Expired($"the watch fell behind and was closed at resource version {_lastRevision}; please relist"));
        }
        return null;
    }

    /// <summary>Upstream nextBookmarkTime: every interval, but never later than 2 s before the deadline.</summary>
    private DateTimeOffset? NextBookmarkTime(DateTimeOffset now)
    {
        if (!_bookmarks)
        {
            return null;
        }
        var next = now + _options.BookmarkInterval;
        if (_deadline is { } deadline)
        {
            var preTimeout = deadline - _options.BookmarkBeforeDeadline;
            if (preTimeout < next)
            {
                next = preTimeout;
            }
            if (next <= now)
            {
                return null;
            }
        }
        return next;
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
