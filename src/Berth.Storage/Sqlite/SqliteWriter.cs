using System.Threading.Channels;
using Berth.Storage.Core;
using Berth.Storage.Watch;
using Microsoft.Extensions.Logging;

namespace Berth.Storage.Sqlite;

/// <summary>
/// The single writer: a dedicated thread that drains the queue, folds all waiting mutations (up to
/// <see cref="StoreOptions.MaxBatchSize"/>) into one transaction and one fsync (group commit), then applies them to
/// the index, publishes them to watchers and completes the callers — in that order, so nothing is visible before it
/// is durable. Compaction steps are queued like writes and run between batches.
/// </summary>
/// <remarks>
/// Thread-safe to submit to. A request is skipped if its token is cancelled before its batch starts; after that it
/// runs to completion. If a commit fails, the whole batch fails and revisions restart from the last durable one; if
/// the database then disagrees with memory, the writer faults and rejects every later write.
/// </remarks>
internal sealed partial class SqliteWriter
{
    private readonly Channel<WriterItem> _queue = Channel.CreateUnbounded<WriterItem>(new UnboundedChannelOptions { SingleReader = true });
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

    public SqliteWriter(SqliteRevisionLog log, ResourceIndex index, WatchBroadcaster broadcaster, StoreOptions options, TimeProvider time, ILogger logger)
    {
        (_log, _index, _broadcaster, _options, _time, _logger) = (log, index, broadcaster, options, time, logger);
        _planner = new WritePlanner(index);
        var thread = new Thread(Run) { IsBackground = true, Name = "berth-store-writer" };
        thread.Start();
    }

    public Task<T> SubmitAsync<T>(WriterItem item, Task<T> completion)
    {
        if (!_queue.Writer.TryWrite(item))
        {
            item.Fail(new ObjectDisposedException(nameof(SqliteResourceStore)));
        }
        return completion;
    }

    /// <summary>Stops accepting work, finishes what is queued, and completes when the thread has exited.</summary>
    public Task StopAsync()
    {
        _queue.Writer.TryComplete();
        return _stopped.Task;
    }

    private void Run()
    {
        try
        {
            while (WaitForWork())
            {
                DrainOnce();
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
        }
    }

    private bool WaitForWork()
    {
        var wait = _queue.Reader.WaitToReadAsync();
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    private void DrainOnce()
    {
        while (_batch.Count < _options.MaxBatchSize && _queue.Reader.TryPeek(out var next))
        {
            if (next is PendingCompaction compaction)
            {
                if (_batch.Count > 0)
                {
                    break;
                }
                _queue.Reader.TryRead(out _);
                RunCompaction(compaction);
                return;
            }
            _queue.Reader.TryRead(out _);
            _batch.Add((PendingWrite)next);
        }
        CommitBatch(_batch);
        _batch.Clear();
    }

    private void FailQueued(Exception error)
    {
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var item))
        {
            item.Fail(error);
        }
    }
}
