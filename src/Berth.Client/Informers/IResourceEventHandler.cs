using System.Text.Json.Nodes;

namespace Berth.Client.Informers;

/// <summary>
/// Receives an informer's notifications. Each handler is called from its own loop, one notification at a time and in
/// order, so a slow handler delays only itself. Objects are the informer's cached instances: <b>read-only</b>, copy
/// before mutating. Handlers should only compute keys and enqueue them (level-triggered controllers); an exception is
/// logged and the next notification is delivered.
/// </summary>
/// <remarks>Mirrors kubernetes/client-go tools/cache/controller.go (ResourceEventHandler).</remarks>
public interface IResourceEventHandler
{
    /// <summary>An object appeared. <paramref name="isInInitialList"/> is true for objects of the first list, or of the cache when the handler was added.</summary>
    void OnAdd(JsonObject obj, bool isInInitialList);

    /// <summary>
    /// An object changed, or a periodic resync re-delivered it (then <paramref name="oldObj"/> and
    /// <paramref name="newObj"/> have the same resourceVersion).
    /// </summary>
    void OnUpdate(JsonObject oldObj, JsonObject newObj);

    /// <summary>
    /// An object was deleted. <paramref name="obj"/> is its final state, or when <paramref name="tombstone"/> is not
    /// null (the delete was only noticed on a relist) the last state the cache had, which may be stale.
    /// </summary>
    void OnDelete(JsonObject obj, DeletedFinalStateUnknown? tombstone);
}
