using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;

namespace Berth.UnitTests.Controllers.History;

/// <summary>An <see cref="ILister"/> over a fixed list, standing in for an informer cache.</summary>
internal sealed class ListLister(params JsonObject[] items) : ILister
{
    public JsonObject? Get(string? ns, string name) => items.FirstOrDefault(i => i.GetNamespace() == ns && i.GetName() == name);

    public IReadOnlyList<JsonObject> List(string? ns = null, Func<IReadOnlyDictionary<string, string>, bool>? labelSelector = null) =>
        [.. items.Where(i => string.IsNullOrEmpty(ns) || i.GetNamespace() == ns).Where(i => labelSelector is null || labelSelector(i.GetLabels()))];

    public IReadOnlyList<JsonObject> List(string? ns, LabelSelector selector) => List(ns, selector.Matches);

    public IReadOnlyList<JsonObject> ByIndex(string indexName, string indexedValue, Func<IReadOnlyDictionary<string, string>, bool>? labelSelector = null) => [];
}
