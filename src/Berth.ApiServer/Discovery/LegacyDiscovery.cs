using Berth.Machinery.Kinds;
using k8s.Models;

namespace Berth.ApiServer.Discovery;

/// <summary>
/// Builds the legacy (pre-aggregation) discovery documents from <see cref="KindRegistry"/>: <c>APIVersions</c> for
/// <c>/api</c>, <c>APIGroupList</c> for <c>/apis</c>, <c>APIGroup</c> for <c>/apis/{group}</c> and
/// <c>APIResourceList</c> for each group version. Subresources appear as <c>pods/status</c> entries. Pure.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/endpoints/discovery (legacy.go, group.go, version.go).</remarks>
public static class LegacyDiscovery
{
    public static V1APIVersions ApiVersions(IReadOnlyList<ResourceKind> kinds, string serverAddress) => new()
    {
        Kind = "APIVersions",
        Versions = kinds.Where(k => k.Group.Length == 0).Select(k => k.Version).Distinct().ToList(),
        ServerAddressByClientCIDRs = [new V1ServerAddressByClientCIDR { ClientCIDR = "0.0.0.0/0", ServerAddress = serverAddress }],
    };

    public static V1APIGroupList GroupList(IReadOnlyList<ResourceKind> kinds) => new()
    {
        ApiVersion = "v1",
        Kind = "APIGroupList",
        Groups = kinds.Where(k => k.Group.Length > 0).Select(k => k.Group).Distinct().Select(g => Group(kinds, g)!).ToList(),
    };

    /// <summary>The <c>APIGroup</c> of <paramref name="group"/>, or null when no kind is served in it.</summary>
    public static V1APIGroup? Group(IReadOnlyList<ResourceKind> kinds, string group)
    {
        var versions = kinds.Where(k => k.Group == group && group.Length > 0).Select(k => k.Version).Distinct()
            .Select(v => new V1GroupVersionForDiscovery { GroupVersion = $"{group}/{v}", Version = v }).ToList();
        return versions.Count == 0 ? null : new V1APIGroup
        {
            ApiVersion = "v1",
            Kind = "APIGroup",
            Name = group,
            Versions = versions,
            PreferredVersion = versions[0],
        };
    }

    /// <summary>The <c>APIResourceList</c> of one group version, or null when nothing is served there.</summary>
    public static V1APIResourceList? ResourceList(IReadOnlyList<ResourceKind> kinds, string group, string version)
    {
        var served = kinds.Where(k => k.Group == group && k.Version == version).ToList();
        if (served.Count == 0)
        {
            return null;
        }
        return new V1APIResourceList
        {
            ApiVersion = "v1",
            Kind = "APIResourceList",
            GroupVersion = served[0].ApiVersion,
            Resources = served.SelectMany(Entries).ToList(),
        };
    }

    private static IEnumerable<V1APIResource> Entries(ResourceKind kind)
    {
        yield return new V1APIResource
        {
            Name = kind.Resource,
            SingularName = kind.Singular,
            Namespaced = kind.Namespaced,
            Kind = kind.Kind,
            Verbs = kind.Verbs.ToList(),
            ShortNames = kind.ShortNames.Count == 0 ? null : kind.ShortNames.ToList(),
            Categories = kind.Categories.Count == 0 ? null : kind.Categories.ToList(),
        };
        foreach (var sub in SubresourceCatalog.For(kind))
        {
            var foreign = sub.IsForeignTo(kind);
            yield return new V1APIResource
            {
                Name = $"{kind.Resource}/{sub.Name}",
                SingularName = "",
                Namespaced = kind.Namespaced,
                Group = foreign ? sub.Group : null,
                Version = foreign ? sub.Version : null,
                Kind = sub.Kind,
                Verbs = sub.Verbs.ToList(),
            };
        }
    }
}
