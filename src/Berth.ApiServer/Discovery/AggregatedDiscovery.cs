using Berth.Machinery.Kinds;
using k8s.Models;

namespace Berth.ApiServer.Discovery;

/// <summary>
/// Builds the aggregated discovery documents (<c>APIGroupDiscoveryList</c>) for <c>/api</c> and <c>/apis</c> from
/// <see cref="KindRegistry"/>. The v2 and v2beta1 bodies differ only in <c>apiVersion</c>. Pure; callers may cache.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/endpoints/discovery/aggregated/handler.go.</remarks>
public static class AggregatedDiscovery
{
    /// <summary>The list for <c>/api</c>: one item named "" holding the core versions.</summary>
    public static V2APIGroupDiscoveryList ForLegacyGroup(IReadOnlyList<ResourceKind> kinds, DiscoveryFormat format) =>
        List(format, [Group("", kinds.Where(k => k.Group.Length == 0))]);

    /// <summary>The list for <c>/apis</c>: one item per named group, in registry order.</summary>
    public static V2APIGroupDiscoveryList ForNamedGroups(IReadOnlyList<ResourceKind> kinds, DiscoveryFormat format) =>
        List(format, kinds.Where(k => k.Group.Length > 0).GroupBy(k => k.Group).Select(g => Group(g.Key, g)).ToList());

    private static V2APIGroupDiscoveryList List(DiscoveryFormat format, IList<V2APIGroupDiscovery> items) => new()
    {
        ApiVersion = format == DiscoveryFormat.AggregatedV2Beta1
            ? DiscoveryNegotiation.DiscoveryGroup + "/v2beta1"
            : DiscoveryNegotiation.DiscoveryGroup + "/v2",
        Kind = DiscoveryNegotiation.DiscoveryListKind,
        Metadata = new V1ListMeta(),
        Items = items,
    };

    private static V2APIGroupDiscovery Group(string name, IEnumerable<ResourceKind> kinds) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Versions = kinds.GroupBy(k => k.Version).Select(v => new V2APIVersionDiscovery
        {
            Version = v.Key,
            Freshness = "Current",
            Resources = v.Select(Resource).ToList(),
        }).ToList(),
    };

    private static V2APIResourceDiscovery Resource(ResourceKind kind) => new()
    {
        Resource = kind.Resource,
        ResponseKind = new V1GroupVersionKind { Group = kind.Group, Version = kind.Version, Kind = kind.Kind },
        Scope = kind.Namespaced ? "Namespaced" : "Cluster",
        SingularResource = kind.Singular,
        ShortNames = NullIfEmpty(kind.ShortNames),
        Categories = NullIfEmpty(kind.Categories),
        Verbs = kind.Verbs.ToList(),
        Subresources = NullIfEmpty(SubresourceCatalog.For(kind).Select(s => new V2APISubresourceDiscovery
        {
            Subresource = s.Name,
            ResponseKind = new V1GroupVersionKind { Group = s.Group, Version = s.Version, Kind = s.Kind },
            Verbs = s.Verbs.ToList(),
        }).ToList()),
    };

    private static IList<T>? NullIfEmpty<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? null : list;
    }
}
