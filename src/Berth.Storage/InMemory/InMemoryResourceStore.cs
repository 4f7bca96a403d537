using System.Text.Json.Nodes;
using Berth.Storage.Core;
using Berth.Storage.Watch;

namespace Berth.Storage.InMemory;

/// <summary>
/// An <see cref="IResourceStore"/> that keeps everything in process memory: the current state in a sorted index and
/// the revision log in the watch window (<see cref="StoreOptions.WatchWindowSize"/> events). Used by tests and
/// <c>--ephemeral</c> servers; the data is gone when the process ends.
/// </summary>
/// <remarks>
/// Construct with <c>new InMemoryResourceStore()</c> (default options) or <c>new InMemoryResourceStore(options)</c>;
/// only the watch settings of <see cref="StoreOptions"/> apply. Thread-safe: writes are serialised by one lock and
/// complete synchronously; reads take only the index lock. Mirrors k3s-io/kine pkg/drivers/memory (semantics) with
/// the same conformance suite as the SQLite store.
/// </remarks>
public sealed class InMemoryResourceStore : IResourceStore
{
    private readonly Lock _writeLock = new();
    private readonly ResourceIndex _index = new();
    private readonly WritePlanner _planner;
    private readonly WatchBroadcaster _broadcaster;
    private bool _disposed;

    public InMemoryResourceStore()
        : this(new StoreOptions())
    {
    }

    public InMemoryResourceStore(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _planner = new WritePlanner(_index);
        _broadcaster = new WatchBroadcaster(options.WatchWindowSize, floor: 0, options.WatchBufferSize);
    }

    public long CurrentRevision => _index.Revision;

    public long CompactedRevision => _broadcaster.Floor;

    /// <summary>Number of open watches (for diagnostics and tests).</summary>
    public int WatcherCount => _broadcaster.WatcherCount;

    public Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(_index.Get(key));

    public Task<StoreList> ListAsync(string prefix, string? startAfterKey = null, int limit = 0, CancellationToken cancellationToken = default) =>
        Task.FromResult(_index.List(prefix, startAfterKey, limit));

    public Task<StoredObject> CreateAsync(string key, JsonObject value, CancellationToken cancellationToken = default) =>
        WriteAsync(WriteRequest.Create(key, value), cancellationToken);

    /// <inheritdoc/>
    /// <remarks><paramref name="expectedRevision"/> 0 makes the update unconditional.</remarks>
    public Task<StoredObject> UpdateAsync(string key, long expectedRevision, JsonObject value, CancellationToken cancellationToken = default) =>
        WriteAsync(WriteRequest.Update(key, expectedRevision, value), cancellationToken);

    public Task<StoredObject> DeleteAsync(string key, long expectedRevision = 0, CancellationToken cancellationToken = default) =>
        WriteAsync(WriteRequest.Delete(key, expectedRevision), cancellationToken);

    public IStoreWatch Watch(string prefix, long afterRevision) => _broadcaster.Subscribe(prefix, afterRevision);

    /// <inheritdoc/>
    /// <remarks>Throws <see cref="ArgumentOutOfRangeException"/> for a revision newer than <see cref="CurrentRevision"/>.</remarks>
    public Task CompactAsync(long revision, CancellationToken cancellationToken = default)
    {
        lock (_writeLock)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(revision, _index.Revision);
            _broadcaster.Compact(revision);
        }
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        lock (_writeLock)
        {
            _disposed = true;
            _broadcaster.Close();
        }
        return ValueTask.CompletedTask;
    }

    private Task<StoredObject> WriteAsync(WriteRequest request, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<StoredObject>(cancellationToken);
        }
        try
        {
            lock (_writeLock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                _planner.Begin(_index.Revision);
                StoreEvent[] changes = [_planner.Plan(request)];
                _index.Apply(changes, _planner.Revision);
                _broadcaster.Publish(changes);
                return Task.FromResult(changes[0].Object);
            }
        }
        catch (Exception ex) when (ex is StoreException or ObjectDisposedException)
        {
            return Task.FromException<StoredObject>(ex);
        }
    }
}
