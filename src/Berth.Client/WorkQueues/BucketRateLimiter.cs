namespace Berth.Client.WorkQueues;

/// <summary>
/// An overall (not per-item) limit: every <see cref="When"/> takes a token from one shared bucket, so a storm of
/// failures across many items is spread out at <c>ratePerSecond</c> after the first <c>burst</c>.
/// It keeps no per-item history: <see cref="NumRequeues"/> is always 0.
/// </summary>
/// <remarks>Mirrors kubernetes/client-go util/workqueue/default_rate_limiters.go (BucketRateLimiter). Thread-safe.</remarks>
public sealed class BucketRateLimiter<T>(TokenBucket bucket) : IRateLimiter<T>
    where T : notnull
{
    public TimeSpan When(T item) => bucket.Reserve();

    public void Forget(T item)
    {
    }

    public int NumRequeues(T item) => 0;
}
