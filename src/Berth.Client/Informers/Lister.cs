using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;

namespace Berth.Client.Informers;

/// <summary>An <see cref="ILister"/> over an <see cref="IIndexer"/>; namespace lists use the namespace index.</summary>
/// <remarks>Mirrors kubernetes/client-go tools/cache/listers.go (genericLister). Thread-safe.</remarks>
public sealed class Lister(IIndexer indexer, ResourceKind kind) : ILister
{
    public JsonObject? Get(string? ns, string name) =>
        indexer.Get(new ObjectKey(kind.Namespaced ? ns ?? "" : "", name));

    public IReadOnlyList<JsonObject> List(string? ns = null, Func<IReadOnlyDictionary<string, string>, bool>? labelSelector = null)
    {
        if (string.IsNullOrEmpty(ns) || !kind.Namespaced)
        {
            return Filter(indexer.List(), labelSelector);
        }
        if (indexer.HasIndex(Indexers.NamespaceIndex))
        {
            return Filter(indexer.ByIndex(Indexers.NamespaceIndex, ns), labelSelector);
        }
        return Filter(indexer.List().Where(o => o.GetNamespace() == ns).ToList(), labelSelector);
    }

    public IReadOnlyList<JsonObject> List(string? ns, LabelSelector selector) =>
        selector.IsNothing ? [] : List(ns, selector.IsEmpty ? null : selector.Matches);

    public IReadOnlyList<JsonObject> ByIndex(string indexName, string indexedValue, Func<IReadOnlyDictionary<string, string>, bool>? labelSelector = null) =>
        Filter(indexer.ByIndex(indexName, indexedValue), labelSelector);

    /// <summary>The labels of <paramref name="obj"/> as predicates see them.</summary>
    public static IReadOnlyDictionary<string, string> LabelsOf(JsonObject obj) =>
        obj.GetObject("metadata", "labels") is { } labels ? new LabelsView(labels) : LabelsView.Empty;

    private static IReadOnlyList<JsonObject> Filter(IReadOnlyList<JsonObject> items, Func<IReadOnlyDictionary<string, string>, bool>? labelSelector)
    {
        if (labelSelector is null)
        {
            return items;
        }
        var result = new List<JsonObject>();
        foreach (var item in items)
        {
            if (labelSelector(LabelsOf(item)))
            {
                result.Add(item);
            }
        }
        return result;
    }
}
