namespace Berth.Client.WorkQueues;

/// <summary>A delaying queue that retries items with a per-item backoff.</summary>
/// <remarks>Mirrors kubernetes/client-go util/workqueue/rate_limiting_queue.go (RateLimitingInterface). Thread-safe.</remarks>
public interface IRateLimitingQueue<T> : IDelayingQueue<T>
    where T : notnull
{
    /// <summary>Adds <paramref name="item"/> after the delay the rate limiter asks for, counting one more requeue.</summary>
    void AddRateLimited(T item);

    /// <summary>Stops tracking <paramref name="item"/>'s failures; does not remove it from the queue.</summary>
    void Forget(T item);

    /// <summary>How many times <paramref name="item"/> has been rate-limited since it was last forgotten.</summary>
    int NumRequeues(T item);
}
