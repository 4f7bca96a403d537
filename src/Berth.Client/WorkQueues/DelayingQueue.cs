namespace Berth.Client.WorkQueues;

/// <summary>
/// Holds delayed items in a min-heap by ready time and keeps one <see cref="ITimer"/> armed for the earliest; when it
/// fires, every item that is due is moved into the inner <see cref="WorkQueue{T}"/>. An item waits at most once: a
/// second <see cref="AddAfter"/> only moves its ready time earlier, as upstream's <c>waitingEntryByData</c> does.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/client-go util/workqueue/delaying_queue.go. Thread-safe. All time comes from the injected
/// <see cref="TimeProvider"/>, so tests drive it with <c>FakeTimeProvider.Advance</c> (timer callbacks then run inline).
/// </remarks>
public sealed class DelayingQueue<T> : IDelayingQueue<T>, IDisposable
    where T : notnull
{
    private readonly object _gate = new();
    private readonly IWorkQueue<T> _inner;
    private readonly TimeProvider _timeProvider;
    private readonly PriorityQueue<T, DateTimeOffset> _heap = new();
    private readonly Dictionary<T, DateTimeOffset> _readyAt = [];
    private readonly ITimer _timer;

    public DelayingQueue(TimeProvider timeProvider, IWorkQueue<T>? inner = null)
    {
        _timeProvider = timeProvider;
        _inner = inner ?? new WorkQueue<T>();
        _timer = timeProvider.CreateTimer(_ => MoveDueItems(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public int Len => _inner.Len;

    public bool ShuttingDown => _inner.ShuttingDown;

    /// <summary>Items waiting for their delay to pass.</summary>
    public int WaitingCount
    {
        get
        {
            lock (_gate)
            {
                return _readyAt.Count;
            }
        }
    }

    public void Add(T item) => _inner.Add(item);

    public void AddAfter(T item, TimeSpan delay)
    {
        if (_inner.ShuttingDown)
        {
            return;
        }
        if (delay <= TimeSpan.Zero)
        {
            _inner.Add(item);
            return;
        }
        AddAt(item, _timeProvider.GetUtcNow() + delay);
    }

    public void AddAt(T item, DateTimeOffset readyAt)
    {
        if (_inner.ShuttingDown)
        {
            return;
        }
        lock (_gate)
        {
            if (readyAt > _timeProvider.GetUtcNow())
            {
                if (_readyAt.TryGetValue(item, out var existing) && existing <= readyAt)
                {
                    return;
                }
                _readyAt[item] = readyAt;
                _heap.Enqueue(item, readyAt);
                ArmTimerLocked();
                return;
            }
        }
        _inner.Add(item);
    }

    public ValueTask<(T Item, bool Shutdown)> GetAsync(CancellationToken cancellationToken = default) =>
        _inner.GetAsync(cancellationToken);

    public void Done(T item) => _inner.Done(item);

    public void ShutDown()
    {
        _inner.ShutDown();
        StopWaiting();
    }

    public Task ShutDownWithDrainAsync(CancellationToken cancellationToken = default)
    {
        StopWaiting();
        return _inner.ShutDownWithDrainAsync(cancellationToken);
    }

    public void Dispose()
    {
        ShutDown();
        _timer.Dispose();
    }

    private void StopWaiting()
    {
        lock (_gate)
        {
            _heap.Clear();
            _readyAt.Clear();
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Timer callback: adds every due item, then re-arms for the next one.</summary>
    private void MoveDueItems()
    {
        var due = new List<T>();
        lock (_gate)
        {
            var now = _timeProvider.GetUtcNow();
            while (_heap.TryPeek(out var item, out var at) && at <= now)
            {
                _heap.Dequeue();
                // Skip stale heap entries left behind when an item's ready time was moved earlier.
                if (_readyAt.TryGetValue(item, out var current) && current == at)
                {
                    _readyAt.Remove(item);
                    due.Add(item);
                }
            }
            ArmTimerLocked();
        }
        foreach (var item in due)
        {
            _inner.Add(item);
        }
    }

    private void ArmTimerLocked()
    {
        while (_heap.TryPeek(out var item, out var at))
        {
            if (_readyAt.TryGetValue(item, out var current) && current == at)
            {
                var wait = at - _timeProvider.GetUtcNow();
                _timer.Change(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
                return;
            }
            _heap.Dequeue();
        }
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }
}
