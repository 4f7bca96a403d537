namespace Berth.Client.WorkQueues;

/// <summary>Decides how long an item waits before it is retried.</summary>
/// <remarks>Mirrors kubernetes/client-go util/workqueue/default_rate_limiters.go (RateLimiter). Implementations are thread-safe.</remarks>
public interface IRateLimiter<in T>
    where T : notnull
{
    /// <summary>Records one more failure of <paramref name="item"/> and returns how long it must wait.</summary>
    TimeSpan When(T item);

    /// <summary>Clears the failure history of <paramref name="item"/> (called after a successful sync).</summary>
    void Forget(T item);

    /// <summary>How many times <paramref name="item"/> has been requeued since it was last forgotten.</summary>
    int NumRequeues(T item);
}
