namespace Berth.Storage;

/// <summary>
/// Settings of a resource store and its compactor. Immutable; read once when the store is opened.
/// Mirrors the datastore flags of k3s pkg/daemons/config/types.go (kine endpoint, compaction interval).
/// </summary>
public sealed record StoreOptions
{
    /// <summary>SQLite database file. Ignored by the in-memory store. The directory must exist.</summary>
    public string Path { get; init; } = "berth.db";

    /// <summary>
    /// How hard a commit waits for the disk. <see cref="SqliteSynchronousMode.Full"/> (default) survives power loss;
    /// <see cref="SqliteSynchronousMode.Normal"/> survives process crashes only (sqlite.org/pragma.html#pragma_synchronous).
    /// </summary>
    public SqliteSynchronousMode Synchronous { get; init; } = SqliteSynchronousMode.Full;

    /// <summary>How long history is kept for watch resumption before the compactor drops it (etcd keeps ~5 minutes).</summary>
    public TimeSpan HistoryRetention { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the compactor samples the revision and compacts; one tenth of the retention by default.</summary>
    public TimeSpan CompactionInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Live events one watcher may have unread before it is closed with <see cref="WatchTooSlowException"/>.</summary>
    public int WatchBufferSize { get; init; } = 1024;

    /// <summary>
    /// Recent events kept in memory for watch replay (the apiserver watch cache's sliding window). A watch resuming
    /// from before the window gets <see cref="StoreCompactedException"/> even if SQLite still holds the rows.
    /// </summary>
    public int WatchWindowSize { get; init; } = 10_000;

    /// <summary>SQLite busy timeout; only matters if another process holds the file (which is unsupported).</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Most concurrent writes the SQLite writer folds into one transaction (group commit).</summary>
    public int MaxBatchSize { get; init; } = 256;

    /// <summary>Revisions the compactor covers per SQLite transaction, so it holds the writer only a few ms.</summary>
    public int CompactionBatchSize { get; init; } = 250;

    /// <summary>A commit slower than this is logged as a warning (kine's "Slow SQL").</summary>
    public TimeSpan SlowCommitThreshold { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Check(WatchBufferSize > 0, nameof(WatchBufferSize));
        Check(WatchWindowSize > 0, nameof(WatchWindowSize));
        Check(MaxBatchSize > 0, nameof(MaxBatchSize));
        Check(CompactionBatchSize > 0, nameof(CompactionBatchSize));
        Check(HistoryRetention >= TimeSpan.Zero, nameof(HistoryRetention));
        Check(CompactionInterval > TimeSpan.Zero, nameof(CompactionInterval));
        Check(BusyTimeout >= TimeSpan.Zero, nameof(BusyTimeout));
    }

    private static void Check(bool ok, string name)
    {
        if (!ok)
        {
            throw new ArgumentException($"invalid store option {name}", name);
        }
    }
}
