using System.Text.Json.Nodes;
using Berth.Machinery.Selectors;

namespace Berth.Client.Informers;

/// <summary>
/// Reads an informer's cache. Results are the cached instances: shared and <b>read-only</b>, deep-copy before mutating.
/// Label predicates get the object's labels (an empty map when it has none).
/// </summary>
/// <remarks>Mirrors kubernetes/client-go listers (GenericLister / GenericNamespaceLister). Thread-safe.</remarks>
public interface ILister
{
    /// <summary>The object, or null when the cache does not have it. <paramref name="ns"/> is ignored for cluster-scoped kinds.</summary>
    JsonObject? Get(string? ns, string name);

    /// <summary>Objects in <paramref name="ns"/> (all namespaces when null or empty) whose labels satisfy <paramref name="labelSelector"/> (all when null).</summary>
    IReadOnlyList<JsonObject> List(string? ns = null, Func<IReadOnlyDictionary<string, string>, bool>? labelSelector = null);

    /// <summary>Objects whose index <paramref name="indexName"/> contains <paramref name="indexedValue"/>, filtered by labels.</summary>
    /// <summary>Objects in <paramref name="ns"/> (all namespaces when null or empty) matching <paramref name="selector"/>.</summary>
    IReadOnlyList<JsonObject> List(string? ns, LabelSelector selector);

    IReadOnlyList<JsonObject> ByIndex(string indexName, string indexedValue, Func<IReadOnlyDictionary<string, string>, bool>? labelSelector = null);
}
