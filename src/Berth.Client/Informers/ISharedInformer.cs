using Berth.Machinery.Kinds;

namespace Berth.Client.Informers;

/// <summary>
/// A cache of one resource kind kept eventually consistent with the API by list+watch, shared by every consumer.
/// Contract: once <see cref="HasSynced"/> is true the cache holds a complete list as of some resourceVersion, and it
/// then follows the API's changes in order; handlers see every change, but several quick changes of one object may
/// be observed as one (only the latest state is guaranteed), and a delete missed while the watch was down is
/// reported with a <see cref="DeletedFinalStateUnknown"/> tombstone after the relist.
/// Objects handed out (cache, listers, handlers) are shared and <b>read-only</b>: deep-copy before mutating.
/// </summary>
/// <remarks>Mirrors kubernetes/client-go tools/cache/shared_informer.go (SharedIndexInformer). Thread-safe.</remarks>
public interface ISharedInformer
{
    ResourceKind Kind { get; }

    /// <summary>True once the first list has been applied to the cache.</summary>
    bool HasSynced { get; }

    /// <summary>The resourceVersion the cache is at; empty before the first list.</summary>
    string LastSyncResourceVersion { get; }

    IIndexer Indexer { get; }

    ILister Lister { get; }

    /// <summary>
    /// Adds a handler, at any time. A handler added after objects were cached first gets an add for each of them
    /// (<c>isInInitialList = true</c>).
    /// </summary>
    IEventHandlerRegistration AddEventHandler(IResourceEventHandler handler);

    /// <summary>Stops notifications to a handler; those already queued are still delivered.</summary>
    void RemoveEventHandler(IEventHandlerRegistration registration);

    /// <summary>Completes when <see cref="HasSynced"/> turns true; throws <see cref="OperationCanceledException"/> on cancellation.</summary>
    Task WaitForCacheSyncAsync(CancellationToken cancellationToken = default);
}
