using Berth.Machinery.Kinds;

namespace Berth.ApiServer.Discovery;

/// <summary>
/// Response kinds and verbs of every subresource name <see cref="KindRegistry"/> uses. Discovery must give each
/// subresource a <c>responseKind</c>, because client-go silently drops entries without one.
/// </summary>
/// <remarks>
/// Mirrors the subresource storage of kubernetes/kubernetes pkg/registry/core/pod/storage/storage.go,
/// pkg/registry/apps/deployment/storage/storage.go (scale), and the connect options types in pkg/apis/core/types.go.
/// </remarks>
public static class SubresourceCatalog
{
    private static readonly string[] StatusVerbs = ["get", "patch", "update"];
    private static readonly string[] CreateOnly = ["create"];
    private static readonly string[] ConnectVerbs = ["create", "get"];
    private static readonly string[] ProxyVerbs = ["create", "delete", "get", "patch", "update"];

    /// <summary>
    /// Describes <paramref name="subresource"/> of <paramref name="parent"/>. Throws <see cref="InvalidOperationException"/>
    /// for a name this table does not know, so that a subresource added to <see cref="KindRegistry"/> fails loudly at
    /// startup and in tests instead of vanishing from discovery.
    /// </summary>
    public static SubresourceDescriptor Describe(ResourceKind parent, string subresource) => subresource switch
    {
        "status" => Same(parent, subresource, parent.Kind, StatusVerbs),
        "ephemeralcontainers" => Same(parent, subresource, parent.Kind, StatusVerbs),
        "scale" => new(subresource, "autoscaling", "v1", "Scale", StatusVerbs),
        "binding" => Same(parent, subresource, "Binding", CreateOnly),
        "eviction" => new(subresource, "policy", "v1", "Eviction", CreateOnly),
        "token" => new(subresource, "authentication.k8s.io", "v1", "TokenRequest", CreateOnly),
        "log" => Same(parent, subresource, "Pod", ["get"]),
        "exec" => Same(parent, subresource, "PodExecOptions", ConnectVerbs),
        "attach" => Same(parent, subresource, "PodAttachOptions", ConnectVerbs),
        "portforward" => Same(parent, subresource, "PodPortForwardOptions", ConnectVerbs),
        "finalize" => Same(parent, subresource, "Namespace", ["update"]),
        "proxy" => Same(parent, subresource, parent.Kind + "ProxyOptions", ProxyVerbs),
        _ => throw new InvalidOperationException($"no discovery entry for subresource {parent.Resource}/{subresource}"),
    };

    /// <summary>Every subresource of <paramref name="parent"/>, in registry order.</summary>
    public static IEnumerable<SubresourceDescriptor> For(ResourceKind parent) =>
        parent.Subresources.Select(s => Describe(parent, s));

    private static SubresourceDescriptor Same(ResourceKind parent, string name, string kind, IReadOnlyList<string> verbs) =>
        new(name, parent.Group, parent.Version, kind, verbs);
}
