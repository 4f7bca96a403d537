using Berth.Machinery.Meta;

namespace Berth.Controllers.Util;

/// <summary>
/// What a controller is still waiting to see in its informer after it created or deleted pods for one owner, so that
/// a sync that runs before the cache caught up does not create or delete the same pods again. An owner's
/// expectations are satisfied when every expected create and delete has been observed, when none were ever set, or
/// when they are older than <see cref="ExpectationsTimeout"/> (a lost watch event must not stall the owner forever).
/// Deletions are tracked by pod key, so that a pod observed twice (graceful delete, then gone) counts once.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/controller_utils.go (ControllerExpectations,
/// UIDTrackingControllerExpectations, ExpectationsTimeout). Thread-safe: informer handlers observe, workers expect.
/// </remarks>
public sealed class ControllerExpectations(TimeProvider timeProvider)
{
    /// <summary>How long expectations hold before a sync proceeds anyway (upstream: 5 minutes).</summary>
    public static readonly TimeSpan ExpectationsTimeout = TimeSpan.FromMinutes(5);

    private readonly object _gate = new();
    private readonly Dictionary<ObjectKey, Entry> _entries = [];

    /// <summary>True when the owner may be synced: nothing pending, nothing recorded, or the record expired.</summary>
    public bool SatisfiedExpectations(ObjectKey owner)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(owner, out var e))
            {
                return true;
            }
            return (e.Add <= 0 && e.DeleteKeys.Count == 0) || timeProvider.GetUtcNow() - e.Timestamp > ExpectationsTimeout;
        }
    }

    /// <summary>Records <paramref name="adds"/> creations to wait for, replacing what was recorded before.</summary>
    public void ExpectCreations(ObjectKey owner, int adds)
    {
        lock (_gate)
        {
            _entries[owner] = new Entry(adds, [], timeProvider.GetUtcNow());
        }
    }

    /// <summary>Records the pod keys whose deletion to wait for, replacing what was recorded before.</summary>
    public void ExpectDeletions(ObjectKey owner, IEnumerable<ObjectKey> pods)
    {
        lock (_gate)
        {
            _entries[owner] = new Entry(0, [.. pods], timeProvider.GetUtcNow());
        }
    }

    /// <summary>
    /// Records creations and pod deletions to wait for at once, replacing what was recorded before (upstream
    /// SetExpectations; the DaemonSet controller creates and deletes in the same sync).
    /// </summary>
    public void SetExpectations(ObjectKey owner, int adds, IEnumerable<ObjectKey> deletions)
    {
        lock (_gate)
        {
            _entries[owner] = new Entry(adds, [.. deletions], timeProvider.GetUtcNow());
        }
    }

    /// <summary>One expected creation happened (informer add), or will not happen (create failed or skipped).</summary>
    public void CreationObserved(ObjectKey owner)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(owner, out var e))
            {
                _entries[owner] = e with { Add = e.Add - 1 };
            }
        }
    }

    /// <summary>The pod is being deleted or gone (informer update with deletionTimestamp, or delete); counted once per pod.</summary>
    public void DeletionObserved(ObjectKey owner, ObjectKey pod)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(owner, out var e))
            {
                e.DeleteKeys.Remove(pod);
            }
        }
    }

    /// <summary>Forgets the owner (it was deleted).</summary>
    public void DeleteExpectations(ObjectKey owner)
    {
        lock (_gate)
        {
            _entries.Remove(owner);
        }
    }

    /// <summary>The pending counts, for tests and logs; null when nothing is recorded.</summary>
    public (int Adds, int Deletes)? Pending(ObjectKey owner)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(owner, out var e) ? (e.Add, e.DeleteKeys.Count) : null;
        }
    }

    private sealed record Entry(int Add, HashSet<ObjectKey> DeleteKeys, DateTimeOffset Timestamp);
}
