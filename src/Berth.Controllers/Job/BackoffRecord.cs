using k8s.Models;

namespace Berth.Controllers.Job;

/// <summary>
/// Failures of a Job's pods since its last success, and when the last of them failed: the input of the delay before
/// the controller creates replacement pods (10 s, doubled per further failure, capped at six minutes). Immutable.
/// Mirrors kubernetes/kubernetes pkg/controller/job/backoff_utils.go (backoffRecord, newBackoffRecord, getRemainingTime).
/// </summary>
public sealed record BackoffRecord(int FailuresAfterLastSuccess, DateTimeOffset? LastFailureTime)
{
    /// <summary>The delay after the first failure (upstream DefaultJobPodFailureBackOff).</summary>
    public static readonly TimeSpan DefaultBackoff = TimeSpan.FromSeconds(10);

    /// <summary>The longest delay (six minutes, as the Job documentation states).</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(6);

    public static BackoffRecord None { get; } = new(0, null);

    /// <summary>
    /// The record after this sync's newly counted pods: failures add up; a success resets the count to the failures
    /// that finished after the last success.
    /// </summary>
    public BackoffRecord Next(IReadOnlyList<V1Pod> newSucceeded, IReadOnlyList<V1Pod> newFailed, DateTimeOffset now)
    {
        var failedTimes = newFailed.Select(p => JobPods.GetFinishedTime(p, now)).Order().ToList();
        if (newSucceeded.Count == 0)
        {
            return failedTimes.Count == 0 ? this : new BackoffRecord(FailuresAfterLastSuccess + failedTimes.Count, failedTimes[^1]);
        }
        var lastSuccess = newSucceeded.Max(p => JobPods.GetFinishedTime(p, now));
        var after = failedTimes.Where(t => t > lastSuccess).ToList();
        return after.Count == 0 ? None : new BackoffRecord(after.Count, after[^1]);
    }

    /// <summary>How long to wait before creating pods at <paramref name="now"/>; zero when no failure is pending.</summary>
    public TimeSpan GetRemainingTime(DateTimeOffset now)
    {
        if (FailuresAfterLastSuccess == 0 || LastFailureTime is not { } last)
        {
            return TimeSpan.Zero;
        }
        var backoff = DefaultBackoff;
        for (var i = 1; i < FailuresAfterLastSuccess && backoff < MaxBackoff; i++)
        {
            backoff *= 2;
        }
        if (backoff > MaxBackoff)
        {
            backoff = MaxBackoff;
        }
        var elapsed = now - last;
        return backoff < elapsed ? TimeSpan.Zero : backoff - elapsed;
    }
}
