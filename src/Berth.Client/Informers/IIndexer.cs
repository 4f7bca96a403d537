using System.Text.Json.Nodes;
using Berth.Machinery.Meta;

namespace Berth.Client.Informers;

/// <summary>
/// A keyed object cache with secondary indexes. Readers get the cached instances themselves: they are shared and
/// <b>read-only</b>; copy (<c>ApiJson.Clone</c>) before mutating. An instance stands for one resourceVersion, and
/// reads return the same instance as long as anyone references it; once the cache has released its objects (an idle
/// server, <see cref="ThreadSafeStore.ReleaseObjects"/>) an object nobody references may be handed out later as a
/// fresh parse with equal content, so caches keyed on the instance must be weak (<see cref="ModelCache{T}"/>).
/// </summary>
/// <remarks>Mirrors kubernetes/client-go tools/cache/index.go (Indexer). Thread-safe; reads return snapshots.</remarks>
public interface IIndexer
{
    JsonObject? Get(ObjectKey key);

    IReadOnlyList<JsonObject> List();

    IReadOnlyList<ObjectKey> ListKeys();

    int Count { get; }

    /// <summary>Objects whose <paramref name="indexName"/> values include <paramref name="indexedValue"/>.</summary>
    /// <exception cref="InvalidOperationException">The index does not exist.</exception>
    IReadOnlyList<JsonObject> ByIndex(string indexName, string indexedValue);

    bool HasIndex(string indexName);

    /// <summary>Adds indexes and builds them over the objects already cached. An existing name is an error.</summary>
    void AddIndexers(IReadOnlyDictionary<string, IndexFunc> indexers);
}
