using System.Text.Json.Nodes;

namespace Berth.Storage;

/// <summary>
/// A revisioned key/value store of API objects, kine-style: every write appends to a log and gets the next
/// revision, which becomes the object's <c>metadata.resourceVersion</c>.
/// Keys are built by <c>ResourceKind.Key</c> (<c>/pods/default/web</c>); prefixes by <c>ResourceKind.ListPrefix</c>.
/// Mirrors k3s-io/kine pkg/server/types.go (Backend).
/// </summary>
/// <remarks>
/// Contracts shared by every implementation (checked by the conformance suite):
/// <list type="bullet">
/// <item>Revisions are positive, strictly increasing across all keys, and never reused, also across restarts.</item>
/// <item>A write returns only after it is durable (for the SQLite store: committed with the configured synchronous mode).</item>
/// <item>The value passed to a write is not retained; the store serialises it with <c>metadata.resourceVersion</c> set.</item>
/// <item>All methods are thread-safe. Writes are serialised; reads never block on writes for long.</item>
/// </list>
/// </remarks>
public interface IResourceStore : IAsyncDisposable
{
    /// <summary>The revision of the newest write (0 for an empty store).</summary>
    long CurrentRevision { get; }

    /// <summary>The oldest revision a watch can resume after; older ones throw <see cref="StoreCompactedException"/>.</summary>
    long CompactedRevision { get; }

    Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists live objects whose key starts with <paramref name="prefix"/>, in key order, starting after
    /// <paramref name="startAfterKey"/> (exclusive) when given, at most <paramref name="limit"/> items (0 = no limit).
    /// <see cref="StoreList.Revision"/> is the store revision the list is consistent with.
    /// </summary>
    Task<StoreList> ListAsync(string prefix, string? startAfterKey = null, int limit = 0, CancellationToken cancellationToken = default);

    /// <summary>Creates <paramref name="key"/>. Throws <see cref="StoreKeyExistsException"/> if it exists.</summary>
    Task<StoredObject> CreateAsync(string key, JsonObject value, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces <paramref name="key"/> if its current revision equals <paramref name="expectedRevision"/> (0 = any).
    /// Throws <see cref="StoreNotFoundException"/> if absent, <see cref="StoreConflictException"/> on a revision mismatch.
    /// </summary>
    Task<StoredObject> UpdateAsync(string key, long expectedRevision, JsonObject value, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes <paramref name="key"/> if its revision equals <paramref name="expectedRevision"/> (0 = any).
    /// Returns the last state, whose <see cref="StoredObject.Revision"/> and resourceVersion are the deletion's revision.
    /// </summary>
    Task<StoredObject> DeleteAsync(string key, long expectedRevision = 0, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams every change under <paramref name="prefix"/> with revision greater than <paramref name="afterRevision"/>,
    /// in revision order, without gaps, then live changes. Throws <see cref="StoreCompactedException"/> when
    /// <paramref name="afterRevision"/> is older than <see cref="CompactedRevision"/>.
    /// A watcher that falls behind by more than its buffer is completed with <see cref="WatchTooSlowException"/>;
    /// it never slows the writer or other watchers.
    /// </summary>
    IStoreWatch Watch(string prefix, long afterRevision);

    /// <summary>Drops history up to and including <paramref name="revision"/>. Live objects are kept.</summary>
    Task CompactAsync(long revision, CancellationToken cancellationToken = default);
}

/// <summary>A live subscription. Dispose to unsubscribe.</summary>
public interface IStoreWatch : IDisposable
{
    /// <summary>Completes with <see cref="WatchTooSlowException"/> when the consumer fell behind, or normally on dispose.</summary>
    System.Threading.Channels.ChannelReader<StoreEvent> Events { get; }
}
