using System.Text.Json.Nodes;
using Berth.Storage;

namespace Berth.UnitTests.Storage;

/// <summary>Hand-written fake: delegates to a real store but fails the next <see cref="FailuresLeft"/> compactions.</summary>
internal sealed class FailingCompactionStore(IResourceStore inner) : IResourceStore
{
    public int FailuresLeft { get; set; }

    public long CurrentRevision => inner.CurrentRevision;

    public long CompactedRevision => inner.CompactedRevision;

    public Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public Task<StoreList> ListAsync(string prefix, string? startAfterKey = null, int limit = 0, CancellationToken cancellationToken = default) =>
        inner.ListAsync(prefix, startAfterKey, limit, cancellationToken);

    public Task<StoredObject> CreateAsync(string key, JsonObject value, CancellationToken cancellationToken = default) =>
        inner.CreateAsync(key, value, cancellationToken);

    public Task<StoredObject> UpdateAsync(string key, long expectedRevision, JsonObject value, CancellationToken cancellationToken = default) =>
        inner.UpdateAsync(key, expectedRevision, value, cancellationToken);

    public Task<StoredObject> DeleteAsync(string key, long expectedRevision = 0, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(key, expectedRevision, cancellationToken);

    public IStoreWatch Watch(string prefix, long afterRevision) => inner.Watch(prefix, afterRevision);

    public Task CompactAsync(long revision, CancellationToken cancellationToken = default)
    {
        if (FailuresLeft > 0)
        {
            FailuresLeft--;
            return Task.FromException(new IOException("disk I/O error"));
        }
        return inner.CompactAsync(revision, cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
