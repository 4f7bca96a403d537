using Berth.Registry.Rbac;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Auth;

/// <summary>
/// Derives a request's <see cref="AuthorizationAttributes"/> from its method, path and query alone, before routing:
/// <c>/api/{v}/…</c> and <c>/apis/{g}/{v}/…</c> with a resource segment are resource requests
/// (<c>[namespaces/{ns}/]{resource}[/{name}[/{subresource}]]</c>); GET of a collection is <c>list</c>, or <c>watch</c>
/// with <c>?watch=true</c>; DELETE of a collection is <c>deletecollection</c>; a list or watch whose field selector pins
/// <c>metadata.name</c> names that object. Everything else (discovery, <c>/openapi</c>, <c>/version</c>, health) is a
/// non-resource request whose verb is the lower-case method. Stateless.
/// </summary>
/// <remarks>Mirrors k8s.io/apiserver pkg/endpoints/request/requestinfo.go (RequestInfoFactory.NewRequestInfo).</remarks>
public static class RequestAttributes
{
    public static AuthorizationAttributes From(HttpRequest request, AuthenticatedUser user)
    {
        var path = request.Path.Value ?? "/";
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var nonResource = AuthorizationAttributes.ForPath(user.Name, user.Groups, request.Method.ToLowerInvariant(), path);
        int rest;
        string group;
        if (parts.Length >= 3 && parts[0] == "api")
        {
            (group, rest) = ("", 1);
        }
        else if (parts.Length >= 4 && parts[0] == "apis")
        {
            (group, rest) = (parts[1], 2);
        }
        else
        {
            return nonResource;
        }
        var version = parts[rest];
        ReadOnlySpan<string> segments = parts.AsSpan(rest + 1);
        var verb = ResourceVerb(request.Method);
        if (segments[0] == "watch" && segments.Length > 1)
        {
            verb = "watch";
            segments = segments[1..];
        }
        var ns = StripNamespace(ref segments);
        var resource = segments[0];
        var name = segments.Length > 1 ? segments[1] : "";
        var subresource = segments.Length > 2 ? segments[2] : "";
        if (name.Length == 0 && verb == "get")
        {
            verb = IsTrue(request.Query["watch"]) ? "watch" : "list";
        }
        if (name.Length == 0 && verb is "list" or "watch")
        {
            name = NameFromFieldSelector(request.Query["fieldSelector"]) ?? "";
        }
        if (name.Length == 0 && verb == "delete")
        {
            verb = "deletecollection";
        }
        return new AuthorizationAttributes(user.Name, user.Groups, verb, true, path, group, version, resource, subresource, ns, name);
    }

    private static string ResourceVerb(string method) => method switch
    {
        "POST" => "create",
        "GET" or "HEAD" => "get",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => "delete",
        _ => "",
    };

    /// <summary>
    /// The namespace of <c>namespaces/{ns}/…</c>, leaving <paramref name="segments"/> at the resource inside it; a
    /// namespace's own subresources (<c>status</c>, <c>finalize</c>) and the namespace itself stay a namespaces request.
    /// </summary>
    private static string StripNamespace(ref ReadOnlySpan<string> segments)
    {
        if (segments[0] != "namespaces" || segments.Length < 2)
        {
            return "";
        }
        var ns = segments[1];
        if (segments.Length > 2 && segments[2] is not ("status" or "finalize"))
        {
            segments = segments[2..];
        }
        return ns;
    }

    private static bool IsTrue(string? value) => value is "1" || bool.TryParse(value, out var b) && b;

    /// <summary>The name a field selector requires exactly (<c>metadata.name=x</c> or <c>==x</c>), if any.</summary>
    private static string? NameFromFieldSelector(string? selector)
    {
        foreach (var term in (selector ?? "").Split(','))
        {
            var t = term.Trim();
            foreach (var prefix in (string[])["metadata.name==", "metadata.name="])
            {
                if (t.StartsWith(prefix, StringComparison.Ordinal))
                {
                    var value = t[prefix.Length..];
                    return value.Length == 0 || value is "." or ".." || value.Contains('/') || value.Contains('%') ? null : value;
                }
            }
        }
        return null;
    }
}
