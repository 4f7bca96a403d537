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

    /// <summary>
    /// Adds <paramref name="item"/> once the queue's <see cref="TimeProvider"/> reaches <paramref name="readyAt"/>; a
    /// time already past adds it now. Same merging as <see cref="AddAfter"/>. For deadlines a caller computed from a
    /// clock reading: unlike <c>AddAfter(deadline - now)</c>, the time the clock moves between that reading and this
    /// call does not push the deadline later (upstream has no such method; a fake clock in tests exposes the drift).
    /// </summary>
    void AddAt(T item, DateTimeOffset readyAt);
}
