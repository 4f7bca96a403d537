using System.Text.Json.Nodes;
using Berth.Machinery.Selectors;

namespace Berth.Client.Informers;

/// <summary>
/// An <see cref="ILister"/> that returns KubernetesClient models (<c>V1Pod</c>, …) deserialised once per
/// resourceVersion through a shared <see cref="ModelCache{T}"/>. Models are shared and <b>read-only</b>.
/// Get one from <see cref="SharedInformer.TypedLister{T}"/> so every consumer shares the cache.
/// </summary>
/// <remarks>Mirrors kubernetes/client-go listers/core/v1 (PodLister …), generic over the model type. Thread-safe.</remarks>
public sealed class TypedLister<T>(ILister lister, ModelCache<T> models)
    where T : class
{
    public T? Get(string? ns, string name) => lister.Get(ns, name) is { } obj ? models.Get(obj) : null;

    public IReadOnlyList<T> List(string? ns = null, Func<IReadOnlyDictionary<string, string>, bool>? labelSelector = null) =>
        Convert(lister.List(ns, labelSelector));

    public IReadOnlyList<T> List(string? ns, LabelSelector selector) => Convert(lister.List(ns, selector));

    public IReadOnlyList<T> ByIndex(string indexName, string indexedValue, Func<IReadOnlyDictionary<string, string>, bool>? labelSelector = null) =>
        Convert(lister.ByIndex(indexName, indexedValue, labelSelector));

    /// <summary>The model of an object handed out by the same informer (e.g. in a handler), from the shared cache.</summary>
    public T ToModel(JsonObject obj) => models.Get(obj);

    /// <summary>Whether a model of <paramref name="obj"/> is held by the shared cache (for memory tests and diagnostics).</summary>
    internal bool HasModel(JsonObject obj) => models.Contains(obj);

    private IReadOnlyList<T> Convert(IReadOnlyList<JsonObject> items)
    {
        var result = new T[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            result[i] = models.Get(items[i]);
        }
        return result;
    }
}
