using System.Text.Json.Nodes;
using Berth.Storage;

namespace Berth.Registry.Generic;

internal sealed partial class ResourceRegistry
{
    /// <summary>Fewest store items fetched per round while a selector filters a limited list.</summary>
    private const int FilteredChunk = 500;

    /// <summary>One list page: raw items always, parsed items when asked for.</summary>
    private sealed record ListPage(List<ReadOnlyMemory<byte>> Raw, List<JsonObject>? Objects, long Revision, string? Continue);

    /// <summary>
    /// LIST as stored UTF-8 items. Items are parsed only when a selector needs them (name/namespace terms are checked on
    /// the key). Mirrors store.go List with storage.SelectionPredicate and limit/continue paging.
    /// </summary>
    public async Task<RawList> ListRawAsync(string? ns, ListOptions options, CancellationToken cancellationToken)
    {
        var page = await ListPageAsync(ns, options, parse: false, cancellationToken).ConfigureAwait(false);
        return new RawList(page.Raw, Rv(page.Revision), page.Continue);
    }

    public async Task<ApiList> ListAsync(string? ns, ListOptions options, CancellationToken cancellationToken)
    {
        var page = await ListPageAsync(ns, options, parse: true, cancellationToken).ConfigureAwait(false);
        return new ApiList(page.Objects!, Rv(page.Revision), page.Continue) { Utf8Items = page.Raw };
    }

    /// <summary>
    /// Reads store pages after the continue key until <see cref="ListOptions.Limit"/> matches are found (0 = all).
    /// The list's resourceVersion is the revision of the first page of the whole paged list, carried in the token.
    /// A token older than the compacted revision is 410 Expired, a malformed one 400.
    /// </summary>
    private async Task<ListPage> ListPageAsync(string? ns, ListOptions options, bool parse, CancellationToken cancellationToken)
    {
        var predicate = ListPredicate.Create(Strategy, options);
        var prefix = Kind.ListPrefix(ns);
        string? startAfter = null;
        long? revision = null;
        if (!string.IsNullOrEmpty(options.Continue))
        {
            var token = ContinueToken.Decode(options.Continue, prefix);
            if (token.Revision < _store.CompactedRevision)
            {
                throw ContinueToken.Expired();
            }
            (startAfter, revision) = (token.StartAfterKey, token.Revision);
        }
        var limit = Math.Max(options.Limit, 0);
        var raw = new List<ReadOnlyMemory<byte>>();
        var objects = parse ? new List<JsonObject>() : null;
        while (true)
        {
            var chunk = limit == 0 ? 0 : predicate.MatchesEverything ? limit - raw.Count : Math.Max(limit, FilteredChunk);
            var page = await _store.ListAsync(prefix, startAfter, chunk, cancellationToken).ConfigureAwait(false);
            revision ??= page.Revision;
            var (consumed, lastKey) = Collect(page.Items, predicate, parse, limit, raw, objects);
            var moreInStore = consumed < page.Items.Count || page.HasMore;
            if (limit > 0 && raw.Count == limit)
            {
                var token = moreInStore ? new ContinueToken(revision.Value, lastKey!).Encode() : null;
                return new ListPage(raw, objects, revision.Value, token);
            }
            if (!page.HasMore || lastKey is null)
            {
                return new ListPage(raw, objects, revision.Value, null);
            }
            startAfter = lastKey;
        }
    }

    /// <summary>Adds matching items until <paramref name="limit"/> is reached; returns how many were examined and the last key.</summary>
    private (int Consumed, string? LastKey) Collect(IReadOnlyList<StoredObject> items, ListPredicate predicate, bool parse, int limit,
        List<ReadOnlyMemory<byte>> raw, List<JsonObject>? objects)
    {
        string? lastKey = null;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            lastKey = item.Key;
            if (!predicate.MayMatchKey(Kind, item.Key))
            {
                continue;
            }
            if (parse || !predicate.MatchesEverything)
            {
                var obj = item.ToJsonObject();
                if (!predicate.Matches(obj))
                {
                    continue;
                }
                objects?.Add(obj);
            }
            raw.Add(item.Value);
            if (limit > 0 && raw.Count == limit)
            {
                return (i + 1, lastKey);
            }
        }
        return (items.Count, lastKey);
    }
}
