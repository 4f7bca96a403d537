using System.Text.Json.Nodes;
using Berth.Storage.Core;
using Berth.Storage.Watch;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Storage.Sqlite;

/// <summary>
/// The durable <see cref="IResourceStore"/>: a kine-style append-only SQLite table (WAL, synchronous FULL by default)
/// behind an in-memory index, so GET and LIST never touch SQLite. Writes go through one writer thread with group
/// commit; a write is acknowledged only after its transaction committed, so it survives a kill -9 (and, with FULL,
/// power loss). Watches replay from the in-memory window of the last <see cref="StoreOptions.WatchWindowSize"/>
/// events; older revisions report <see cref="StoreCompactedException"/> even if rows are still on disk.
/// </summary>
/// <remarks>
/// One process per database file (kine's rule). Thread-safe. Mirrors k3s-io/kine pkg/drivers/sqlite and
/// pkg/logstructured/sqllog, minus the poll loop: this process is the only writer, so it publishes directly.
/// </remarks>
public sealed class SqliteResourceStore : IResourceStore
{
    private readonly SqliteRevisionLog _log;
    private readonly ResourceIndex _index;
    private readonly WatchBroadcaster _broadcaster;
    private readonly SqliteWriter _writer;
    private readonly StoreOptions _options;
    private int _disposed;

    private SqliteResourceStore(SqliteRevisionLog log, ResourceIndex index, WatchBroadcaster broadcaster, StoreOptions options, TimeProvider time, ILogger logger)
    {
        (_log, _index, _broadcaster, _options) = (log, index, broadcaster, options);
        _writer = new SqliteWriter(log, index, broadcaster, options, time, logger);
    }

    public long CurrentRevision => _index.Revision;

    public long CompactedRevision => _broadcaster.Floor;

    /// <summary>Number of open watches (for diagnostics and tests).</summary>
    public int WatcherCount => _broadcaster.WatcherCount;

    /// <summary>
    /// Opens or creates the database at <see cref="StoreOptions.Path"/> and loads the live objects and the recent
    /// history into memory. Blocks for the load (about a second per 100k objects). Throws if the file is not a
    /// usable database.
    /// </summary>
    public static SqliteResourceStore Open(StoreOptions options, TimeProvider timeProvider, ILogger<SqliteResourceStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        var log = new SqliteRevisionLog(options);
        try
        {
            var (index, broadcaster) = Load(log, options);
            return new SqliteResourceStore(log, index, broadcaster, options, timeProvider, logger ?? (ILogger)NullLogger.Instance);
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

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
    /// <remarks>
    /// Raises the watch floor at once, then deletes rows in steps of <see cref="StoreOptions.CompactionBatchSize"/>
    /// revisions, each its own short transaction queued behind pending writes. Throws
    /// <see cref="ArgumentOutOfRangeException"/> for a revision newer than <see cref="CurrentRevision"/>.
    /// </remarks>
    public async Task CompactAsync(long revision, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(revision, _index.Revision);
        _broadcaster.Compact(revision);
        for (var from = _log.CompactedRevision; from < revision; from = Math.Min(revision, from + _options.CompactionBatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var step = new PendingCompaction(Math.Min(revision, from + _options.CompactionBatchSize));
            await _writer.SubmitAsync(step, step.Task).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _writer.StopAsync().ConfigureAwait(false);
        _broadcaster.Close();
        _log.Dispose();
    }

    private Task<StoredObject> WriteAsync(WriteRequest request, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<StoredObject>(cancellationToken);
        }
        var pending = new PendingWrite(request, cancellationToken);
        return _writer.SubmitAsync(pending, pending.Task);
    }

    private static (ResourceIndex, WatchBroadcaster) Load(SqliteRevisionLog log, StoreOptions options)
    {
        var last = log.ReadLastRevision();
        var current = log.LoadCurrent();
        var index = new ResourceIndex();
        index.Apply(current.Select(o => new StoreEvent(StoreEventType.Added, o, null)).ToList(), last);
        var floor = Math.Max(log.CompactedRevision, last - options.WatchWindowSize);
        var broadcaster = new WatchBroadcaster(options.WatchWindowSize, floor, options.WatchBufferSize);
        broadcaster.Preload(log.LoadHistory(floor, current.ToDictionary(o => o.Revision)));
        return (index, broadcaster);
    }
}
