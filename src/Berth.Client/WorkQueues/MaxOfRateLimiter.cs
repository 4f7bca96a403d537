namespace Berth.Client.WorkQueues;

/// <summary>Combines limiters: the wait is the longest any of them asks for, and every one sees every call.</summary>
/// <remarks>Mirrors kubernetes/client-go util/workqueue/default_rate_limiters.go (MaxOfRateLimiter). Thread-safe if its parts are.</remarks>
public sealed class MaxOfRateLimiter<T>(params IRateLimiter<T>[] limiters) : IRateLimiter<T>
    where T : notnull
{
    public TimeSpan When(T item)
    {
        var max = TimeSpan.Zero;
        foreach (var limiter in limiters)
        {
            var wait = limiter.When(item);
            if (wait > max)
            {
                max = wait;
            }
        }
        return max;
    }

    public void Forget(T item)
    {
        foreach (var limiter in limiters)
        {
            limiter.Forget(item);
        }
    }

    public int NumRequeues(T item)
    {
        var max = 0;
        foreach (var limiter in limiters)
        {
            max = Math.Max(max, limiter.NumRequeues(item));
        }
        return max;
    }
}
