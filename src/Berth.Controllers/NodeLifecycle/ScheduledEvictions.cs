using Berth.Machinery.Meta;

namespace Berth.Controllers.NodeLifecycle;

/// <summary>
/// Pods the taint eviction controller will delete once their toleration runs out, keyed by pod, with the time the
/// countdown started (kept across re-evaluations, so repeated node updates do not postpone an eviction). Thread-safe.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/controller/tainteviction/timed_workers.go (TimedWorkerQueue: AddWork, CancelWork, GetWorkerUnsafe).</remarks>
internal sealed class ScheduledEvictions
{
    private readonly object _gate = new();
    private readonly Dictionary<ObjectKey, DateTimeOffset> _createdAt = [];

    /// <summary>When the countdown of <paramref name="key"/> started, or null when none runs.</summary>
    public DateTimeOffset? StartedAt(ObjectKey key)
    {
        lock (_gate)
        {
            return _createdAt.TryGetValue(key, out var createdAt) ? createdAt : null;
        }
    }

    /// <summary>Records that the countdown of <paramref name="key"/> started at <paramref name="startedAt"/> (kept if one already runs).</summary>
    public void Schedule(ObjectKey key, DateTimeOffset startedAt)
    {
        lock (_gate)
        {
            _createdAt.TryAdd(key, startedAt);
        }
    }

    /// <summary>Removes the entry; true when there was one (upstream then records a cancellation event).</summary>
    public bool Cancel(ObjectKey key)
    {
        lock (_gate)
        {
            return _createdAt.Remove(key);
        }
    }
}
