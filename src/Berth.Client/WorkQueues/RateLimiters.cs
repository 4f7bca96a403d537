namespace Berth.Client.WorkQueues;

/// <summary>Ready-made limiters with upstream's defaults.</summary>
/// <remarks>Mirrors kubernetes/client-go util/workqueue/default_rate_limiters.go (DefaultControllerRateLimiter).</remarks>
public static class RateLimiters
{
    /// <summary>First per-item retry delay of the default controller limiter.</summary>
    public static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromMilliseconds(5);

    /// <summary>Per-item retry delay cap of the default controller limiter.</summary>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(1000);

    /// <summary>
    /// Per-item exponential backoff 5 ms → 1000 s, combined with an overall bucket of 10 retries per second and a
    /// burst of 100 (only the bucket's overall rate limits a retry storm; single items back off exponentially).
    /// </summary>
    public static IRateLimiter<T> DefaultControllerRateLimiter<T>(TimeProvider timeProvider)
        where T : notnull =>
        new MaxOfRateLimiter<T>(
            new ItemExponentialFailureRateLimiter<T>(DefaultBaseDelay, DefaultMaxDelay),
            new BucketRateLimiter<T>(new TokenBucket(10, 100, timeProvider)));
}
