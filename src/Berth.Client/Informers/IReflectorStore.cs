using System.Text.Json.Nodes;

namespace Berth.Client.Informers;

/// <summary>
/// Where a <see cref="Reflector"/> puts what it lists and watches. Called from the reflector's single loop, never
/// concurrently; the objects handed over are owned by the store from then on.
/// </summary>
/// <remarks>Mirrors the part of kubernetes/client-go tools/cache/store.go (Store) and delta_fifo.go the reflector calls.</remarks>
public interface IReflectorStore
{
    /// <summary>
    /// The result of a (re)list: the complete set of objects at <paramref name="resourceVersion"/>;
    /// <paramref name="utf8"/>, when given, holds each item's immutable UTF-8 JSON (see <c>ApiList.Utf8Items</c>).
    /// </summary>
    void Replace(IReadOnlyList<JsonObject> items, string resourceVersion, IReadOnlyList<ReadOnlyMemory<byte>>? utf8 = null);

    /// <summary>An ADDED or MODIFIED watch event; <paramref name="utf8"/>, when not empty, is the object's immutable UTF-8 JSON.</summary>
    void Upsert(JsonObject obj, ReadOnlyMemory<byte> utf8 = default);

    /// <summary>A DELETED watch event, with the object's final state.</summary>
    void Delete(JsonObject obj);
}
