using Berth.Machinery.Meta;

namespace Berth.Controllers.Scheduling;

/// <summary>
/// Pods whose last attempt failed, with their attempt count and time, so that a cluster change (node added or
/// changed, an assigned pod gone) retries them no earlier than their back-off allows: 1 s after the first failure,
/// doubling up to 10 s. Thread-safe.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/scheduler/backend/queue/scheduling_queue.go (unschedulablePods, calculateBackoffDuration, MoveAllToActiveOrBackoffQueue).</remarks>
internal sealed class UnschedulablePods(SchedulerOptions options)
{
    private readonly object _gate = new();
    private readonly Dictionary<ObjectKey, (int Attempts, DateTimeOffset LastAttempt)> _pods = [];

    /// <summary>Records a failed attempt of <paramref name="key"/> at <paramref name="now"/>.</summary>
    public void Add(ObjectKey key, DateTimeOffset now)
    {
        lock (_gate)
        {
            var attempts = _pods.TryGetValue(key, out var entry) ? entry.Attempts + 1 : 1;
            _pods[key] = (attempts, now);
        }
    }

    public void Remove(ObjectKey key)
    {
        lock (_gate)
        {
            _pods.Remove(key);
        }
    }

    /// <summary>Every unschedulable pod with the time left of its back-off (zero when over).</summary>
    public IReadOnlyList<(ObjectKey Key, TimeSpan Delay)> Due(DateTimeOffset now)
    {
        lock (_gate)
        {
            return [.. _pods.Select(p =>
            {
                var remaining = p.Value.LastAttempt + Backoff(p.Value.Attempts) - now;
                return (p.Key, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
            })];
        }
    }

    public TimeSpan Backoff(int attempts)
    {
        var backoff = options.PodInitialBackoff;
        for (var i = 1; i < attempts && backoff < options.PodMaxBackoff; i++)
        {
            backoff += backoff;
        }
        return backoff < options.PodMaxBackoff ? backoff : options.PodMaxBackoff;
    }
}
