using System.Globalization;
using System.Runtime.CompilerServices;
using Berth.Machinery.Errors;
using Berth.Storage;

namespace Berth.Registry.Generic;

internal sealed partial class ResourceRegistry
{
    /// <summary>
    /// WATCH. resourceVersion ""/"0": synthetic ADDED for every current match, then changes after that list's revision;
    /// resourceVersion N: every change after N from the store's history (410 Expired before the first event when N
    /// was compacted). See <see cref="WatchSession"/> for filtering, bookmarks and the deadline.
    /// Mirrors store.go Watch/WatchPredicate and the cacher's watch semantics.
    /// </summary>
    public async IAsyncEnumerable<ApiWatchEvent> WatchAsync(string? ns, ListOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var session = await OpenWatchAsync(ns, options, cancellationToken).ConfigureAwait(false);
        await foreach (var e in new WatchStream(session).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return e;
        }
    }

    /// <summary>Opens the store watch (and, for resourceVersion ""/"0", lists the initial state); throws 400/410 here.</summary>
    public async Task<WatchSession> OpenWatchAsync(string? ns, ListOptions options, CancellationToken cancellationToken)
    {
        var predicate = ListPredicate.Create(Strategy, options);
        var prefix = Kind.ListPrefix(ns);
        var initial = new List<ApiWatchEvent>();
        long start;
        if (string.IsNullOrEmpty(options.ResourceVersion) || options.ResourceVersion == "0")
        {
            var list = await ListAsync(ns, options with { Limit = 0, Continue = null }, cancellationToken).ConfigureAwait(false);
            initial.AddRange(list.Items.Select(o => new ApiWatchEvent(ApiWatchEventType.Added, o)));
            start = long.Parse(list.ResourceVersion, CultureInfo.InvariantCulture);
        }
        else if (!long.TryParse(options.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out start))
        {
            throw ApiErrors.BadRequest($"invalid resource version: \"{options.ResourceVersion}\"");
        }
        IStoreWatch watch;
        try
        {
            watch = _store.Watch(prefix, start);
        }
        catch (StoreCompactedException e)
        {
            throw ApiErrors.TooOldResourceVersion(start, e.Compacted);
        }
        return new WatchSession(Kind, predicate, watch, initial, start, options, _time, _options);
    }
}
