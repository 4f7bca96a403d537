using Berth.Machinery.Kinds;

namespace Berth.ApiServer.Routing;

/// <summary>
/// What a resource URL addresses: the kind, the namespace (null for cluster-scoped kinds and all-namespace lists),
/// the object name (null for a collection) and the subresource.
/// Mirrors k8s.io/apiserver pkg/endpoints/request/requestinfo.go (RequestInfoFactory.NewRequestInfo).
/// </summary>
internal sealed record RequestInfo(ResourceKind Kind, string? Namespace, string? Name, string? Subresource)
{
    /// <summary>Subresources of <c>namespaces/{name}/…</c> that belong to the namespace itself, not to a resource in it.</summary>
    private static readonly HashSet<string> NamespaceSubresources = ["status", "finalize"];

    public bool IsCollection => Name is null;

    /// <summary>
    /// Parses <c>/api/v1/…</c> and <c>/apis/{group}/{version}/…</c> paths: <c>[namespaces/{ns}/]{resource}[/{name}[/{subresource}]]</c>
    /// and the namespaces resource itself (<c>namespaces/{name}[/status|/finalize]</c>). Returns null for anything that is
    /// not a served resource or subresource (the caller answers 404); pods/log and pods/exec are served by the streaming
    /// endpoints (Streaming/PodStreamingEndpoints.cs), attach and portforward are not served.
    /// </summary>
    public static RequestInfo? Parse(string path)
    {
        var parts = path.Trim('/').Split('/');
        int rest;
        string group;
        string version;
        if (parts.Length >= 3 && parts[0] == "api")
        {
            (group, version, rest) = ("", parts[1], 2);
        }
        else if (parts.Length >= 4 && parts[0] == "apis")
        {
            (group, version, rest) = (parts[1], parts[2], 3);
        }
        else
        {
            return null;
        }
        return ParseResource(group, version, parts.AsSpan(rest));
    }

    private static RequestInfo? ParseResource(string group, string version, ReadOnlySpan<string> parts)
    {
        string? ns = null;
        if (parts[0] == "namespaces" && parts.Length > 2 && !NamespaceSubresources.Contains(parts[2]))
        {
            ns = parts[1];
            parts = parts[2..];
        }
        if (parts.Length > 3 || parts.IndexOf("") >= 0)
        {
            return null;
        }
        var kind = KindRegistry.FindByResource(group, version, parts[0]);
        if (kind is null || (ns is not null && !kind.Namespaced))
        {
            return null;
        }
        var name = parts.Length > 1 ? parts[1] : null;
        var subresource = parts.Length > 2 ? parts[2] : null;
        if (subresource is not null && !IsServedSubresource(kind, subresource))
        {
            return null;
        }
        // A namespaced object is only addressable inside its namespace.
        if (kind.Namespaced && ns is null && name is not null)
        {
            return null;
        }
        return new RequestInfo(kind, ns, name, subresource);
    }

    /// <summary>The subresources the resource API serves (log and exec have their own endpoints; attach, portforward and proxy are not served).</summary>
    private static bool IsServedSubresource(ResourceKind kind, string subresource) => subresource switch
    {
        "status" or "scale" => kind.Subresources.Contains(subresource),
        "binding" or "eviction" or "ephemeralcontainers" => kind == KindRegistry.Pods,
        "finalize" => kind == KindRegistry.Namespaces,
        "token" => kind == KindRegistry.ServiceAccounts,
        _ => false,
    };
}
