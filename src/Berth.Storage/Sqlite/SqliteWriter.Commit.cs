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
        _planner.Begin(index.Revision);
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
        index.Apply(changes, _planner.Revision);
        for (var i = 0; i < owners.Count; i++)
        {
            owners[i].Complete(changes[i].Object);
        }
        broadcaster.Publish(changes);
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
        var started = time.GetTimestamp();
        try
        {
            log.Append(changes);
        }
        catch (Exception ex)
        {
            Log.CommitFailed(logger, changes.Count, ex);
            CheckConsistency();
            owners.ForEach(p => p.Fail(ex));
            return false;
        }
        var elapsed = time.GetElapsedTime(started);
        if (elapsed > options.SlowCommitThreshold)
        {
            Log.SlowCommit(logger, changes.Count, elapsed.TotalMilliseconds);
        }
        return true;
    }

    /// <summary>After a failed commit: if the file holds revisions memory does not know, stop accepting writes.</summary>
    private void CheckConsistency()
    {
        try
        {
            var durable = log.ReadLastRevision();
            if (durable != index.Revision)
            {
                _fault = new InvalidOperationException($"database revision {durable} differs from memory {index.Revision}");
                Log.WriterFaulted(logger, durable, index.Revision);
            }
        }
        catch (Exception ex)
        {
            _fault = ex;
            Log.WriterCrashed(logger, ex);
        }
    }

    private void RunCompaction(PendingCompaction compaction)
    {
        try
        {
            compaction.Complete(log.CompactRange(compaction.To));
        }
        catch (Exception ex)
        {
            compaction.Fail(ex);
        }
    }
}
