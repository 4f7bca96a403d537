using System.Collections.Concurrent;
using Berth.Storage.Core;
using Berth.Storage.Watch;
using Microsoft.Extensions.Logging;

namespace Berth.Storage.Sqlite;

/// <summary>
/// The single writer: a dedicated thread that drains the queue, folds all waiting mutations (up to
/// <see cref="StoreOptions.MaxBatchSize"/>) into one transaction and one fsync (group commit), then applies them to
/// the index, completes the callers and publishes them to watchers — in that order, so nothing is visible before it
/// is durable, and acknowledgements do not queue behind watcher wake-ups. Compaction steps are queued like writes and run between batches.
/// </summary>
/// <remarks>
/// Thread-safe to submit to. A request is skipped if its token is cancelled before its batch starts; after that it
/// runs to completion. If a commit fails, the whole batch fails and revisions restart from the last durable one; if
/// the database then disagrees with memory, the writer faults and rejects every later write.
/// </remarks>
internal sealed partial class SqliteWriter
{
    private readonly ConcurrentQueue<WriterItem> _queue = new();
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly SqliteRevisionLog _log;
    private readonly ResourceIndex _index;
    private readonly WritePlanner _planner;
    private readonly WatchBroadcaster _broadcaster;
    private readonly StoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<PendingWrite> _batch = [];
    private Exception? _fault;
    private volatile bool _stopping;

    public SqliteWriter(SqliteRevisionLog log, ResourceIndex index, WatchBroadcaster broadcaster, StoreOptions options, TimeProvider time, ILogger logger)
    {
        (_log, _index, _broadcaster, _options, _time, _logger) = (log, index, broadcaster, options, time, logger);
        _planner = new WritePlanner(index);
        var thread = new Thread(Run) { IsBackground = true, Name = "berth-store-writer" };
        thread.Start();
    }

    /// <summary>Queues <paramref name="item"/> and wakes the writer; fails it when the writer has stopped.</summary>
    public Task<T> SubmitAsync<T>(WriterItem item, Task<T> completion)
    {
        if (_stopping)
        {
            item.Fail(new ObjectDisposedException(nameof(SqliteResourceStore)));
            return completion;
        }
        _queue.Enqueue(item);
        _wake.Set();
        if (_stopped.Task.IsCompleted)
        {
            FailQueued(new ObjectDisposedException(nameof(SqliteResourceStore)));
        }
        return completion;
    }

    /// <summary>Stops accepting work, finishes what is queued, and completes when the thread has exited.</summary>
    public Task StopAsync()
    {
        _stopping = true;
        _wake.Set();
        return _stopped.Task;
    }

    private void Run()
    {
        try
        {
            while (WaitForWork())
            {
                while (!_queue.IsEmpty)
                {
                    DrainOnce();
                }
            }
        }
        catch (Exception ex)
        {
            Log.WriterCrashed(_logger, ex);
            _fault = ex;
            FailQueued(ex);
        }
        finally
        {
            _stopped.TrySetResult();
            FailQueued(new ObjectDisposedException(nameof(SqliteResourceStore)));
        }
    }

    /// <summary>Blocks until work is queued; false once stopping and the queue is drained.</summary>
    private bool WaitForWork()
    {
        while (_queue.IsEmpty)
        {
            if (_stopping)
            {
                return false;
            }
            _wake.Wait();
            _wake.Reset();
        }
        return true;
    }

    private void DrainOnce()
    {
        while (_batch.Count < _options.MaxBatchSize && _queue.TryPeek(out var next))
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
        CommitBatch(_batch);
        _batch.Clear();
    }

    private void FailQueued(Exception error)
    {
        _stopping = true;
        while (_queue.TryDequeue(out var item))
        {
            item.Fail(error);
        }
    }
}
