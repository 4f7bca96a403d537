namespace Berth.Client.Informers;

/// <summary>A handler added to an informer; pass it to <see cref="ISharedInformer.RemoveEventHandler"/> to stop notifications.</summary>
/// <remarks>Mirrors kubernetes/client-go tools/cache/shared_informer.go (ResourceEventHandlerRegistration).</remarks>
public interface IEventHandlerRegistration
{
    /// <summary>True once the informer has synced and this handler has been called for every object of the initial list.</summary>
    bool HasSynced { get; }
}
