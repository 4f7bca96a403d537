using System.Text.Json.Nodes;

namespace Berth.Client.Informers;

/// <summary>
/// Where a <see cref="Reflector"/> puts what it lists and watches. Called from the reflector's single loop, never
/// concurrently; the objects handed over are owned by the store from then on.
/// </summary>
/// <remarks>Mirrors the part of kubernetes/client-go tools/cache/store.go (Store) and delta_fifo.go the reflector calls.</remarks>
public interface IReflectorStore
{
    /// <summary>The result of a (re)list: the complete set of objects at <paramref name="resourceVersion"/>.</summary>
    void Replace(IReadOnlyList<JsonObject> items, string resourceVersion);

    /// <summary>An ADDED or MODIFIED watch event.</summary>
    void Upsert(JsonObject obj);

    /// <summary>A DELETED watch event, with the object's final state.</summary>
    void Delete(JsonObject obj);
}
