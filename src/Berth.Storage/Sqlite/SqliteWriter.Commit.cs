using Microsoft.Extensions.Logging;

namespace Berth.Storage.Sqlite;

/// <summary>Group commit of one batch and the compaction step.</summary>
internal sealed partial class SqliteWriter
{
    private void CommitBatch(List<PendingWrite> batch)
    {
        if (_fault is not null)
        {
            batch.ForEach(p => p.Fail(new InvalidOperationException("the store's writer has faulted; restart the server", _fault)));
            return;
        }
        _planner.Begin(_index.Revision);
        var changes = new List<StoreEvent>(batch.Count);
        var owners = new List<PendingWrite>(batch.Count);
        foreach (var pending in batch)
        {
            PlanOne(pending, changes, owners);
        }
        if (changes.Count == 0 || !TryAppend(changes, owners))
        {
            return;
        }
        _index.Apply(changes, _planner.Revision);
        for (var i = 0; i < owners.Count; i++)
        {
            owners[i].Complete(changes[i].Object);
        }
        _broadcaster.Publish(changes);
    }

    private void PlanOne(PendingWrite pending, List<StoreEvent> changes, List<PendingWrite> owners)
    {
        if (pending.CancellationToken.IsCancellationRequested)
        {
            pending.Cancel();
            return;
        }
        try
        {
            changes.Add(_planner.Plan(pending.Request));
            owners.Add(pending);
        }
        catch (Exception ex)
        {
            pending.Fail(ex);
        }
    }

    private bool TryAppend(List<StoreEvent> changes, List<PendingWrite> owners)
    {
        var started = _time.GetTimestamp();
        try
        {
            _log.Append(changes);
        }
        catch (Exception ex)
        {
            Log.CommitFailed(_logger, changes.Count, ex);
            CheckConsistency();
            owners.ForEach(p => p.Fail(ex));
            return false;
        }
        var elapsed = _time.GetElapsedTime(started);
        if (elapsed > _options.SlowCommitThreshold)
        {
            Log.SlowCommit(_logger, changes.Count, elapsed.TotalMilliseconds);
        }
        return true;
    }

    /// <summary>After a failed commit: if the file holds revisions memory does not know, stop accepting writes.</summary>
    private void CheckConsistency()
    {
        try
        {
            var durable = _log.ReadLastRevision();
            if (durable != _index.Revision)
            {
                _fault = new InvalidOperationException($"database revision {durable} differs from memory {_index.Revision}");
                Log.WriterFaulted(_logger, durable, _index.Revision);
            }
        }
        catch (Exception ex)
        {
            _fault = ex;
            Log.WriterCrashed(_logger, ex);
        }
    }

    private void RunCompaction(PendingCompaction compaction)
    {
        try
        {
            compaction.Complete(_log.CompactRange(compaction.To));
        }
        catch (Exception ex)
        {
            compaction.Fail(ex);
        }
    }
}
