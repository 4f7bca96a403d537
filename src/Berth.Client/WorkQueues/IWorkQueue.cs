namespace Berth.Client.WorkQueues;

/// <summary>
/// A work queue with client-go's guarantees: <b>fair</b> (items are handed out in the order they were added),
/// <b>stingy</b> (an item is never processed by two workers at once, and adding an item several times before it is
/// processed hands it out once), multiple producers and consumers, and shutdown.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/client-go util/workqueue/queue.go (Interface). Thread-safe. Every item returned by
/// <see cref="GetAsync"/> must be passed to <see cref="Done"/> when its processing ends, whatever the outcome;
/// an item re-added while it was being processed is handed out again only after <see cref="Done"/>.
/// </remarks>
public interface IWorkQueue<T>
    where T : notnull
{
    /// <summary>Marks <paramref name="item"/> as needing processing. Ignored after <see cref="ShutDown"/>.</summary>
    void Add(T item);

    /// <summary>Items waiting to be handed out (not counting those being processed).</summary>
    int Len { get; }

    /// <summary>
    /// Waits for the next item. Returns <c>(item, false)</c>, or <c>(default, true)</c> once the queue is shut down and
    /// empty; items queued before the shutdown are still handed out. Throws <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellationToken"/> fires while waiting (no item is consumed then).
    /// </summary>
    ValueTask<(T Item, bool Shutdown)> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Ends the processing of <paramref name="item"/>; if it was re-added meanwhile it is queued again.</summary>
    void Done(T item);

    /// <summary>Stops accepting items and wakes every waiting consumer. Idempotent.</summary>
    void ShutDown();

    /// <summary>
    /// Shuts down, then waits until every item being processed has been passed to <see cref="Done"/>
    /// (client-go ShutDownWithDrain). Items still queued are not waited for.
    /// </summary>
    Task ShutDownWithDrainAsync(CancellationToken cancellationToken = default);

    bool ShuttingDown { get; }
}
