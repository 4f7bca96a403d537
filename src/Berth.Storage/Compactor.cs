using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Storage;

/// <summary>
/// Keeps about <see cref="StoreOptions.HistoryRetention"/> of history: every <see cref="StoreOptions.CompactionInterval"/>
/// it samples the store's revision and compacts to the newest sample that is at least the retention old.
/// Mirrors etcd's periodic auto-compaction (server/etcdserver/api/v3compactor/periodic.go); kine's compactor
/// (pkg/logstructured/sqllog/sql.go) does the row deletion, which the store runs in small steps.
/// </summary>
/// <remarks>
/// A plain class: the host runs <see cref="RunAsync"/> as a background service. All time comes from the injected
/// <see cref="TimeProvider"/>, so tests drive it with <c>FakeTimeProvider.Advance</c>. Not thread-safe: one
/// <see cref="RunAsync"/> (or <see cref="TickAsync"/> caller) at a time. A failed compaction is logged and retried on
/// the next tick.
/// </remarks>
public sealed partial class Compactor(IResourceStore store, StoreOptions options, TimeProvider timeProvider, ILogger<Compactor>? logger = null)
{
    private readonly Queue<(DateTimeOffset At, long Revision)> _samples = new();
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;
    private long _lastTarget;

    /// <summary>Ticks until <paramref name="cancellationToken"/> fires; returns normally on cancellation.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.CompactionInterval, timeProvider);
        await TickAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await TickAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.Stopped(_logger);
        }
    }

    /// <summary>
    /// Records the current revision and compacts to the newest sample older than the retention, if that is newer than
    /// the last compaction. Returns the revision compacted to, or 0 when nothing was due or the compaction failed.
    /// </summary>
    public async Task<long> TickAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        _samples.Enqueue((now, store.CurrentRevision));
        long target = 0;
        while (_samples.Count > 0 && now - _samples.Peek().At >= options.HistoryRetention)
        {
            target = _samples.Dequeue().Revision;
        }
        if (target <= _lastTarget)
        {
            return 0;
        }
        try
        {
            await store.CompactAsync(target, cancellationToken).ConfigureAwait(false);
            _lastTarget = target;
            Log.Compacted(_logger, target);
            return target;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.CompactionFailed(_logger, target, ex);
            return 0;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2110, Level = LogLevel.Debug, Message = "Compacted store history up to revision {Revision}")]
        public static partial void Compacted(ILogger logger, long revision);

        [LoggerMessage(EventId = 2111, Level = LogLevel.Warning, Message = "Compaction to revision {Revision} failed; retrying on the next tick")]
        public static partial void CompactionFailed(ILogger logger, long revision, Exception exception);

        [LoggerMessage(EventId = 2112, Level = LogLevel.Debug, Message = "Compactor stopped")]
        public static partial void Stopped(ILogger logger);
    }
}
