namespace Berth.Client.WorkQueues;

/// <summary>A work queue that can add an item later.</summary>
/// <remarks>Mirrors kubernetes/client-go util/workqueue/delaying_queue.go (DelayingInterface). Thread-safe.</remarks>
public interface IDelayingQueue<T> : IWorkQueue<T>
    where T : notnull
{
    /// <summary>
    /// Adds <paramref name="item"/> once <paramref name="delay"/> has passed on the queue's <see cref="TimeProvider"/>;
    /// a non-positive delay adds it now. If the item is already waiting, the earlier of the two ready times wins.
    /// Ignored after shutdown.
    /// </summary>
    void AddAfter(T item, TimeSpan delay);
}
