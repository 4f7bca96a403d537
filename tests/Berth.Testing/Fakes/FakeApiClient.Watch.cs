using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.Testing.Fakes;

/// <summary>The watch half of <see cref="FakeApiClient"/>: history, live fan-out and the 410/close/bookmark hooks.</summary>
public sealed partial class FakeApiClient
{
    private readonly List<HistoryEntry> _history = [];
    private readonly List<FakeWatch> _watches = [];
    private long _compactedRevision;

    /// <summary>Watches currently open.</summary>
    public int ActiveWatchCount
    {
        get
        {
            lock (_gate)
            {
                return _watches.Count;
            }
        }
    }

    /// <summary>Drops all history: a watch from any resourceVersion older than now fails with 410 Expired.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _history.Clear();
            _compactedRevision = _revision;
        }
    }

    /// <summary>Sends a 410 Expired ERROR event to every open watch and ends it, as a server that lost history would.</summary>
    public void ExpireWatches()
    {
        var error = ApiErrors.Expired("too old resource version");
        EndWatches(w => w.Channel.Writer.TryWrite(new ApiWatchEvent(ApiWatchEventType.Error, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Status",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = error.Message,
            ["reason"] = error.Reason,
            ["code"] = error.Code,
        })));
    }

    /// <summary>Ends every open watch normally, as a server-side watch timeout does.</summary>
    public void CloseWatches() => EndWatches(_ => { });

    /// <summary>Sends a BOOKMARK at the current resourceVersion to every open watch that allowed bookmarks.</summary>
    public void SendBookmarks()
    {
        lock (_gate)
        {
            foreach (var w in _watches.Where(w => w.Bookmarks))
            {
                var bookmark = new JsonObject
                {
                    ["apiVersion"] = w.Kind.ApiVersion,
                    ["kind"] = w.Kind.Kind,
                    ["metadata"] = new JsonObject { ["resourceVersion"] = _revision.ToString(CultureInfo.InvariantCulture) },
                };
                w.Channel.Writer.TryWrite(new ApiWatchEvent(ApiWatchEventType.Bookmark, bookmark));
            }
        }
    }

    public IAsyncEnumerable<ApiWatchEvent> WatchAsync(ResourceKind kind, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        WatchCoreAsync(kind, ns, options, cancellationToken);

    private async IAsyncEnumerable<ApiWatchEvent> WatchCoreAsync(ResourceKind kind, string? ns, ListOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var watch = OpenWatch(kind, ns, options);
        try
        {
            await foreach (var ev in watch.Channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return ev;
            }
        }
        finally
        {
            lock (_gate)
            {
                _watches.Remove(watch);
            }
        }
    }

    private FakeWatch OpenWatch(ResourceKind kind, string? ns, ListOptions? options)
    {
        lock (_gate)
        {
            Intercept("watch", kind, ns, null);
            var watch = new FakeWatch(kind, new WatchFilter(kind, ns, options), options?.AllowWatchBookmarks == true);
            var rv = options?.ResourceVersion;
            if (string.IsNullOrEmpty(rv) || rv == "0")
            {
                foreach (var (key, obj) in _objects)
                {
                    if (key.StartsWith(kind.KeyRoot, StringComparison.Ordinal) && watch.Filter.Matches(obj))
                    {
                        watch.Channel.Writer.TryWrite(new ApiWatchEvent(ApiWatchEventType.Added, Roundtrip(obj)));
                    }
                }
            }
            else
            {
                if (!long.TryParse(rv, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
                {
                    throw ApiErrors.BadRequest($"invalid resource version \"{rv}\"");
                }
                if (from < _compactedRevision)
                {
                    throw ApiErrors.TooOldResourceVersion(from, _compactedRevision);
                }
                foreach (var entry in _history.Where(e => e.Revision > from))
                {
                    watch.Offer(entry);
                }
            }
            _watches.Add(watch);
            return watch;
        }
    }

    private void Publish(HistoryEntry entry)
    {
        _history.Add(entry);
        foreach (var watch in _watches)
        {
            watch.Offer(entry);
        }
    }

    private void EndWatches(Action<FakeWatch> last)
    {
        lock (_gate)
        {
            foreach (var w in _watches)
            {
                last(w);
                w.Channel.Writer.TryComplete();
            }
            _watches.Clear();
        }
    }

    private sealed record HistoryEntry(long Revision, ResourceKind Kind, ApiWatchEventType Type, JsonObject Obj, JsonObject? Previous);

    private sealed class FakeWatch(ResourceKind kind, WatchFilter filter, bool bookmarks)
    {
        public ResourceKind Kind => kind;

        public WatchFilter Filter => filter;

        public bool Bookmarks => bookmarks;

        public Channel<ApiWatchEvent> Channel { get; } = System.Threading.Channels.Channel.CreateUnbounded<ApiWatchEvent>();

        /// <summary>Sends what a selector-filtered watch sees: objects entering the selection are ADDED, leaving it DELETED.</summary>
        public void Offer(HistoryEntry entry)
        {
            if (entry.Kind != kind)
            {
                return;
            }
            var now = filter.Matches(entry.Obj);
            var before = entry.Previous is not null && filter.Matches(entry.Previous);
            ApiWatchEventType? type = entry.Type switch
            {
                ApiWatchEventType.Added when now => ApiWatchEventType.Added,
                ApiWatchEventType.Deleted when now || before => ApiWatchEventType.Deleted,
                ApiWatchEventType.Modified when now && before => ApiWatchEventType.Modified,
                ApiWatchEventType.Modified when now => ApiWatchEventType.Added,
                ApiWatchEventType.Modified when before => ApiWatchEventType.Deleted,
                _ => null,
            };
            if (type is { } t)
            {
                Channel.Writer.TryWrite(new ApiWatchEvent(t, Roundtrip(entry.Obj)));
            }
        }
    }
}
