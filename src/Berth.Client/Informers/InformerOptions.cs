using Berth.Registry;

namespace Berth.Client.Informers;

/// <summary>What one informer lists and watches, and how it indexes and resyncs.</summary>
/// <param name="Namespace">Only this namespace; null for all namespaces (and for cluster-scoped kinds).</param>
/// <param name="ListOptions">Label/field selectors and page size (e.g. <c>FieldSelector = "spec.nodeName=node1"</c> for a kubelet);
/// resourceVersion, continue, bookmarks and timeouts are managed by the reflector and ignored here.</param>
/// <param name="ResyncPeriod">Re-deliver every cached object as an update this often; zero for never (the default).</param>
/// <param name="Indexers">Indexes beyond the always-present <see cref="Indexers.NamespaceIndex"/>.</param>
public sealed record InformerOptions(
    string? Namespace = null,
    ListOptions? ListOptions = null,
    TimeSpan ResyncPeriod = default,
    IReadOnlyDictionary<string, IndexFunc>? Indexers = null)
{
    /// <summary>The reflector settings (backoff, watch timeouts).</summary>
    public ReflectorOptions Reflector { get; init; } = new();
}
