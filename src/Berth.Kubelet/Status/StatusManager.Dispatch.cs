namespace Berth.Kubelet.Status;

public sealed partial class StatusManager
{
    /// <summary>How long a pod whose status write failed waits before the loop tries it again (sooner on a resync).</summary>
    public static readonly TimeSpan WriteRetryDelay = TimeSpan.FromSeconds(1);

    // Under _gate: pods being written (by the loop or a round), when a failed pod may be retried, the loop's writes.
    private readonly HashSet<string> _writing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _retryAt = new(StringComparer.Ordinal);
    private readonly List<Task> _writes = [];

    // Starts a write (on the thread pool) for each pod that needs one and is not being written, while fewer than
    // maxConcurrentWrites are in flight; the rest start when a write ends, since each end wakes the loop.
    private void DispatchWrites(bool all, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _writes.RemoveAll(t => t.IsCompleted);
            ForgetCaughtUpWrites();
            var updates = CollectUpdates(all, honourRetries: true);
            foreach (var (uid, status) in updates.Take(Math.Max(0, _maxConcurrentWrites - _writing.Count)))
            {
                _writing.Add(uid);
                _writes.Add(Task.Run(() => WriteAsync(uid, status, cancellationToken), CancellationToken.None));
            }
        }
    }

    // Never throws. A write that failed, or that left the pod still needing one at the version it started with (the
    // pod is gone from the API and the status waits for housekeeping to drop it), is tried again only after
    // WriteRetryDelay: the end of a write wakes the loop, which must not spin on a pod it cannot settle.
    private async Task WriteAsync(string uid, VersionedPodStatus status, CancellationToken cancellationToken)
    {
        var failed = false;
        try
        {
            await SyncPodAsync(uid, status, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex)
        {
            failed = true;
            Log.SyncFailed(_logger, status.PodNamespace, status.PodName, uid, ex.Message);
        }
        finally
        {
            lock (_gate)
            {
                _writing.Remove(uid);
                var settled = _apiVersions.TryGetValue(uid, out var written) && written >= status.Version;
                if ((failed || !settled) && _statuses.ContainsKey(uid))
                {
                    _retryAt[uid] = _time.GetUtcNow() + WriteRetryDelay;
                }
                else
                {
                    _retryAt.Remove(uid);
                }
            }

            _notify.Set();
        }
    }

    private async Task WhenWritesEndedAsync()
    {
        Task[] writes;
        lock (_gate)
        {
            writes = [.. _writes];
        }

        await Task.WhenAll(writes).ConfigureAwait(false);
    }

    // Under the lock. The pods to write now, the longest waiting first, skipping those being written; records in _heldUntil when the earliest
    // held status (or, with honourRetries, failed pod) is due. With all, drifted pods are marked unwritten so that
    // they are written even when no slot is free now.
    private List<(string Uid, VersionedPodStatus Status)> CollectUpdates(bool all, bool honourRetries)
    {
        var updates = new List<(string Uid, VersionedPodStatus Status)>();
        var now = _time.GetUtcNow();
        _heldUntil = null;
        foreach (var (uid, status) in _statuses)
        {
            if (_writing.Contains(uid))
            {
                continue;
            }

            if (status.HoldUntil is { } until && until > now && !_apiVersions.ContainsKey(uid))
            {
                WakeBy(until);
            }
            else if (honourRetries && _retryAt.TryGetValue(uid, out var retry) && retry > now)
            {
                WakeBy(retry);
            }
            else if (NeedsUpdate(uid, status))
            {
                updates.Add((uid, status));
            }
            else if (all && NeedsReconcile(uid, status))
            {
                _apiVersions.Remove(uid);
                updates.Add((uid, status));
            }
        }

        updates.Sort(static (a, b) => a.Status.Queued.CompareTo(b.Status.Queued));
        return updates;
    }

    private void WakeBy(DateTimeOffset at) => _heldUntil = _heldUntil is { } earliest && earliest < at ? earliest : at;
}
