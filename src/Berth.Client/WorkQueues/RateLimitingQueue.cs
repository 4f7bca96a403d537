namespace Berth.Client.WorkQueues;

/// <summary>A <see cref="DelayingQueue{T}"/> whose retries wait as long as its <see cref="IRateLimiter{T}"/> says.</summary>
/// <remarks>Mirrors kubernetes/client-go util/workqueue/rate_limiting_queue.go. Thread-safe.</remarks>
public sealed class RateLimitingQueue<T>(IRateLimiter<T> rateLimiter, TimeProvider timeProvider) : IRateLimitingQueue<T>, IDisposable
    where T : notnull
{
    private readonly DelayingQueue<T> _queue = new(timeProvider);

    public int Len => _queue.Len;

    public bool ShuttingDown => _queue.ShuttingDown;

    /// <summary>Items waiting for their delay to pass.</summary>
    public int WaitingCount => _queue.WaitingCount;

    public void Add(T item) => _queue.Add(item);

    public void AddAfter(T item, TimeSpan delay) => _queue.AddAfter(item, delay);

    public void AddAt(T item, DateTimeOffset readyAt) => _queue.AddAt(item, readyAt);

    public void AddRateLimited(T item) => _queue.AddAfter(item, rateLimiter.When(item));

    public void Forget(T item) => rateLimiter.Forget(item);

    public int NumRequeues(T item) => rateLimiter.NumRequeues(item);

    public ValueTask<(T Item, bool Shutdown)> GetAsync(CancellationToken cancellationToken = default) =>
        _queue.GetAsync(cancellationToken);

    public void Done(T item) => _queue.Done(item);

    public void ShutDown() => _queue.ShutDown();

    public Task ShutDownWithDrainAsync(CancellationToken cancellationToken = default) =>
        _queue.ShutDownWithDrainAsync(cancellationToken);

    public void Dispose() => _queue.Dispose();
}
