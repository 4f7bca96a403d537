namespace Berth.Kubelet;

/// <summary>
/// The effective grace period of a pod kill, shared between <see cref="PodWorkers"/> (the only writer) and the
/// running <see cref="IPodSyncer.SyncTerminatingPodAsync"/> (reader). It only ever decreases and never goes below 1
/// (calculateEffectiveGracePeriod); each decrease completes the current <see cref="Shortened"/> task, so a kill in
/// progress re-derives its deadlines at once. Upstream cannot do this (kubernetes/kubernetes#83916): a shortened
/// grace there only applies to a kill that has not started.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class GracePeriodOverride
{
    private readonly Lock _gate = new();
    private long _seconds;
    private TaskCompletionSource _shortened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public GracePeriodOverride(long seconds)
    {
        _seconds = Math.Max(1, seconds);
    }

    /// <summary>The current grace in whole seconds (≥ 1).</summary>
    public long Seconds
    {
        get
        {
            lock (_gate)
            {
                return _seconds;
            }
        }
    }

    /// <summary>Completes at the next decrease. Read it before <see cref="Seconds"/> to never miss one.</summary>
    public Task Shortened
    {
        get
        {
            lock (_gate)
            {
                return _shortened.Task;
            }
        }
    }

    /// <summary>Lowers the grace to <paramref name="seconds"/> (floored at 1); false (no change) unless it is shorter.</summary>
    public bool TryShorten(long seconds)
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            seconds = Math.Max(1, seconds);
            if (seconds >= _seconds)
            {
                return false;
            }

            _seconds = seconds;
            previous = _shortened;
            _shortened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
        return true;
    }
}
