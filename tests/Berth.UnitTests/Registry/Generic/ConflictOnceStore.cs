using System.Text.Json.Nodes;
using Berth.Storage;

namespace Berth.UnitTests.Registry.Generic;

/// <summary>
/// A store decorator that simulates a concurrent writer: before the first update of <see cref="Key"/> goes through,
/// it rewrites that key itself, so the caller's update fails with a revision conflict.
/// </summary>
internal sealed class ConflictOnceStore(IResourceStore inner) : IResourceStore
{
    private int _armed;

    public string? Key { get; set; }

    public int Conflicts { get; private set; }

    public long CurrentRevision => inner.CurrentRevision;

    public long CompactedRevision => inner.CompactedRevision;

    public Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public Task<StoreList> ListAsync(string prefix, string? startAfterKey = null, int limit = 0, CancellationToken cancellationToken = default) =>
        inner.ListAsync(prefix, startAfterKey, limit, cancellationToken);

    public Task<StoredObject> CreateAsync(string key, JsonObject value, CancellationToken cancellationToken = default) =>
        inner.CreateAsync(key, value, cancellationToken);

    public async Task<StoredObject> UpdateAsync(string key, long expectedRevision, JsonObject value, CancellationToken cancellationToken = default)
    {
        if (key == Key && Interlocked.Exchange(ref _armed, 1) == 0)
        {
            var current = (await inner.GetAsync(key, cancellationToken))!;
            var other = current.ToJsonObject();
            other["metadata"]!["annotations"] = new JsonObject { ["concurrent"] = "writer" };
            await inner.UpdateAsync(key, current.Revision, other, cancellationToken);
            Conflicts++;
        }
        return await inner.UpdateAsync(key, expectedRevision, value, cancellationToken);
    }

    public Task<StoredObject> DeleteAsync(string key, long expectedRevision = 0, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(key, expectedRevision, cancellationToken);

    public IStoreWatch Watch(string prefix, long afterRevision) => inner.Watch(prefix, afterRevision);

    public Task CompactAsync(long revision, CancellationToken cancellationToken = default) => inner.CompactAsync(revision, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
