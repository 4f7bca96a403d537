using System.Text.Json.Nodes;

namespace Berth.Client.Informers;

/// <summary>An <see cref="IResourceEventHandler"/> built from optional delegates; a missing delegate ignores the notification.</summary>
/// <remarks>Mirrors kubernetes/client-go tools/cache/controller.go (ResourceEventHandlerFuncs).</remarks>
public sealed class ResourceEventHandlerFuncs : IResourceEventHandler
{
    public Action<JsonObject, bool>? AddFunc { get; init; }

    public Action<JsonObject, JsonObject>? UpdateFunc { get; init; }

    public Action<JsonObject, DeletedFinalStateUnknown?>? DeleteFunc { get; init; }

    public void OnAdd(JsonObject obj, bool isInInitialList) => AddFunc?.Invoke(obj, isInInitialList);

    public void OnUpdate(JsonObject oldObj, JsonObject newObj) => UpdateFunc?.Invoke(oldObj, newObj);

    public void OnDelete(JsonObject obj, DeletedFinalStateUnknown? tombstone) => DeleteFunc?.Invoke(obj, tombstone);
}
