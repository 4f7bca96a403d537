namespace Berth.Client.WorkQueues;

/// <summary>
/// The basic fair and stingy queue. A <c>dirty</c> set holds every item that needs processing and a
/// <c>processing</c> set every item handed out and not yet <see cref="Done"/>; an item in both is re-queued on
/// <see cref="Done"/>, which is how duplicates coalesce and concurrent processing of one item is prevented.
/// Waiting consumers are served in arrival order and an added item is handed straight to the oldest waiter.
/// </summary>
/// <remarks>Mirrors kubernetes/client-go util/workqueue/queue.go (Type). Thread-safe; one lock guards all state.</remarks>
public sealed class WorkQueue<T> : IWorkQueue<T>
    where T : notnull
{
    private readonly object _gate = new();
    private readonly Queue<T> _queue = new();
    private readonly HashSet<T> _dirty = [];
    private readonly HashSet<T> _processing = [];
    private readonly LinkedList<TaskCompletionSource<(T, bool)>> _waiters = new();
    private TaskCompletionSource? _drained;
    private bool _shuttingDown;

    public int Len
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    public bool ShuttingDown
    {
        get
        {
            lock (_gate)
            {
                return _shuttingDown;
            }
        }
    }

    public void Add(T item)
    {
        lock (_gate)
        {
            if (_shuttingDown || !_dirty.Add(item) || _processing.Contains(item))
            {
                return;
            }
            EnqueueLocked(item);
        }
    }

    public ValueTask<(T Item, bool Shutdown)> GetAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource<(T, bool)> waiter;
        LinkedListNode<TaskCompletionSource<(T, bool)>> node;
        lock (_gate)
        {
            if (_queue.TryDequeue(out var item))
            {
                StartProcessingLocked(item);
                return new ValueTask<(T, bool)>((item, false));
            }
            if (_shuttingDown)
            {
                return new ValueTask<(T, bool)>((default!, true));
            }
            waiter = new TaskCompletionSource<(T, bool)>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiters.AddLast(waiter);
        }
        return WaitAsync(waiter, node, cancellationToken);
    }

    public void Done(T item)
    {
        lock (_gate)
        {
            _processing.Remove(item);
            if (_dirty.Contains(item))
            {
                EnqueueLocked(item);
            }
            else if (_processing.Count == 0)
            {
                _drained?.TrySetResult();
            }
        }
    }

    public void ShutDown()
    {
        lock (_gate)
        {
            _shuttingDown = true;
            foreach (var waiter in _waiters)
            {
                waiter.TrySetResult((default!, true));
            }
            _waiters.Clear();
        }
    }

    public Task ShutDownWithDrainAsync(CancellationToken cancellationToken = default)
    {
        Task drained;
        lock (_gate)
        {
            ShutDown();
            if (_processing.Count == 0)
            {
                return Task.CompletedTask;
            }
            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            drained = _drained.Task;
        }
        return drained.WaitAsync(cancellationToken);
    }

    private async ValueTask<(T Item, bool Shutdown)> WaitAsync(
        TaskCompletionSource<(T, bool)> waiter, LinkedListNode<TaskCompletionSource<(T, bool)>> node, CancellationToken cancellationToken)
    {
        await using var registration = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                if (node.List is not null)
                {
                    _waiters.Remove(node);
                    waiter.TrySetCanceled(cancellationToken);
                }
            }
        }).ConfigureAwait(false);
        return await waiter.Task.ConfigureAwait(false);
    }

    /// <summary>Hands <paramref name="item"/> to the oldest waiter, or queues it when nobody waits.</summary>
    private void EnqueueLocked(T item)
    {
        var first = _waiters.First;
        if (first is null)
        {
            _queue.Enqueue(item);
            return;
        }
        _waiters.RemoveFirst();
        StartProcessingLocked(item);
        first.Value.TrySetResult((item, false));
    }

    private void StartProcessingLocked(T item)
    {
        _processing.Add(item);
        _dirty.Remove(item);
    }
}
