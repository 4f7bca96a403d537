using System.Collections.Concurrent;
using Berth.Storage.Core;
using Berth.Storage.Watch;
using Microsoft.Extensions.Logging;

namespace Berth.Storage.Sqlite;

/// <summary>
/// The single writer, as leader-based group commit: a submitting thread that finds no write in progress becomes the
/// leader and commits everything queued (up to <see cref="StoreOptions.MaxBatchSize"/> per transaction and fsync);
/// writers that arrive meanwhile queue up and are committed together in the leader's next round. Each round applies
/// the batch to the index, completes the callers and publishes to watchers — in that order, so nothing is visible
/// before it is durable and acknowledgements do not queue behind watcher wake-ups. An uncontended write therefore
/// commits on its caller's thread with no thread hop. Compaction steps are queued like writes and run between batches.
/// </summary>
/// <remarks>
/// Thread-safe to submit to. A leader hands off to the thread pool after <see cref="MaxRoundsPerLeader"/> rounds so
/// no caller is held for long. A request is skipped if its token is cancelled before its batch starts; after that it
/// runs to completion. If a commit fails, the whole batch fails and revisions restart from the last durable one; if
/// the database then disagrees with memory, the writer faults and rejects every later write.
/// </remarks>
internal sealed partial class SqliteWriter(
    SqliteRevisionLog log, ResourceIndex index, WatchBroadcaster broadcaster, StoreOptions options, TimeProvider time, ILogger logger)
{
    private const int MaxRoundsPerLeader = 8;

    private readonly ConcurrentQueue<WriterItem> _queue = new();
    private readonly SemaphoreSlim _leadership = new(1, 1);
    private readonly WritePlanner _planner = new(index);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<PendingWrite> _batch = [];
    private Exception? _fault;
    private volatile bool _stopping;

    /// <summary>
    /// Queues <paramref name="item"/> and, if no write is in progress, commits it (and whatever else is queued) on the
    /// calling thread before returning <paramref name="completion"/>. Fails the item once the writer has stopped.
    /// </summary>
    public Task<T> SubmitAsync<T>(WriterItem item, Task<T> completion)
    {
        if (_stopping)
        {
            item.Fail(new ObjectDisposedException(nameof(SqliteResourceStore)));
            return completion;
        }
        _queue.Enqueue(item);
        Lead(holding: false);
        if (_stopped.Task.IsCompleted)
        {
            FailQueued(new ObjectDisposedException(nameof(SqliteResourceStore)));
        }
        return completion;
    }

    /// <summary>Stops accepting work, commits what is queued, and completes when no write can run any more.</summary>
    public async Task StopAsync()
    {
        _stopping = true;
        await _leadership.WaitAsync().ConfigureAwait(false);
        try
        {
            while (!_queue.IsEmpty)
            {
                DrainOnce();
            }
        }
        finally
        {
            _stopped.TrySetResult();
            FailQueued(new ObjectDisposedException(nameof(SqliteResourceStore)));
        }
    }

    /// <summary>
    /// Commits rounds while work is queued and leadership is ours. Re-checks the queue after releasing, so an item
    /// queued by a thread that lost the race for leadership is never stranded.
    /// </summary>
    private void Lead(bool holding)
    {
        while (holding || (!_queue.IsEmpty && _leadership.Wait(0)))
        {
            holding = false;
            for (var rounds = 0; !_queue.IsEmpty; rounds++)
            {
                if (rounds == MaxRoundsPerLeader)
                {
                    ThreadPool.UnsafeQueueUserWorkItem(static w => w.Lead(holding: true), this, preferLocal: false);
                    return;
                }
                DrainOnce();
            }
            _leadership.Release();
        }
    }

    private void DrainOnce()
    {
        while (_batch.Count < options.MaxBatchSize && _queue.TryPeek(out var next))
        {
            if (next is PendingCompaction compaction)
            {
                if (_batch.Count > 0)
                {
                    break;
                }
                _queue.TryDequeue(out _);
                RunCompaction(compaction);
                return;
            }
            _queue.TryDequeue(out _);
            _batch.Add((PendingWrite)next);
        }
        try
        {
            CommitBatch(_batch);
        }
        catch (Exception ex)
        {
            Log.WriterCrashed(logger, ex);
            _fault = ex;
            _batch.ForEach(p => p.Fail(ex));
        }
        finally
        {
            _batch.Clear();
        }
    }

    private void FailQueued(Exception error)
    {
        while (_queue.TryDequeue(out var item))
        {
            item.Fail(error);
        }
    }
}
