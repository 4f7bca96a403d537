using Berth.ApiServer.Http;
using Berth.Machinery.Errors;
using Berth.Registry.Rbac;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Auth;

/// <summary>
/// Serves the impersonation headers (<c>kubectl --as</c>, <c>--as-group</c>, <c>--as-uid</c>): <c>Impersonate-User</c>,
/// <c>Impersonate-Group</c> (repeatable), <c>Impersonate-Uid</c> and <c>Impersonate-Extra-&lt;key&gt;</c>. The requester
/// must be allowed to <c>impersonate</c> each of them (<c>users</c>, <c>groups</c>, a ServiceAccount by its
/// <c>serviceaccounts</c> object, <c>userextras/&lt;key&gt;</c>, <c>uids</c>), else the request is a 403 naming the
/// first refusal; then the request continues as the impersonated user, with <c>system:authenticated</c> added and, for a
/// ServiceAccount without requested groups, its ServiceAccount groups. Runs after authentication, before authorization.
/// </summary>
/// <remarks>Mirrors k8s.io/apiserver pkg/endpoints/filters/impersonation.go (WithImpersonation, buildImpersonationRequests).</remarks>
public sealed partial class ImpersonationMiddleware(RequestDelegate next, RbacAuthorizer authorizer, ILogger<ImpersonationMiddleware> logger)
{
    private const string UserHeader = "Impersonate-User";
    private const string GroupHeader = "Impersonate-Group";
    private const string UidHeader = "Impersonate-Uid";
    private const string ExtraPrefix = "Impersonate-Extra-";
    private const string ServiceAccountPrefix = "system:serviceaccount:";

    /// <summary>
    /// Requests without impersonation go straight to <c>next</c> after three header lookups (extra headers alone are
    /// not looked for; upstream refuses them), without an async frame of their own.
    /// </summary>
    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        return headers.ContainsKey(UserHeader) || headers.ContainsKey(GroupHeader) || headers.ContainsKey(UidHeader)
            ? ImpersonateAsync(context, headers)
            : next(context);
    }

    private async Task ImpersonateAsync(HttpContext context, IHeaderDictionary headers)
    {
        var username = headers[UserHeader].ToString();
        var groups = headers[GroupHeader].Where(g => !string.IsNullOrEmpty(g)).Select(g => g!).ToList();
        var uid = headers[UidHeader].ToString();
        var extra = Extras(headers);
        if (username.Length == 0)
        {
            // Upstream answers this with a 500 as well (an error building the impersonation requests).
            throw ApiErrors.Internal($"requested {GroupHeader}, {UidHeader} or {ExtraPrefix}* without impersonating a user");
        }
        var requester = AuthenticatedUser.Of(context);
        await authorizer.Policy.WhenSyncedAsync(context.RequestAborted).ConfigureAwait(false);
        foreach (var request in Requests(requester, username, groups, uid, extra))
        {
            var decision = authorizer.Authorize(request);
            if (!decision.Allowed)
            {
                Log.Denied(logger, requester.Name, request.Resource, request.Name);
                await StatusWriter.WriteAsync(context, RbacAuthorizer.Forbidden(request, decision.Reason)).ConfigureAwait(false);
                return;
            }
        }
        Impersonated(username, groups, uid, extra).AttachTo(context);
        foreach (var header in headers.Keys.Where(k => k.StartsWith("Impersonate-", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            headers.Remove(header);
        }
        await next(context).ConfigureAwait(false);
    }

    /// <summary>The impersonate checks, in upstream's order: the user (or ServiceAccount), each group, each extra value, the uid.</summary>
    private static IEnumerable<AuthorizationAttributes> Requests(AuthenticatedUser requester, string username, List<string> groups, string uid,
        Dictionary<string, IReadOnlyList<string>> extra)
    {
        AuthorizationAttributes Check(string group, string resource, string name, string ns = "", string subresource = "") =>
            AuthorizationAttributes.ForResource(requester.Name, requester.Groups, "impersonate", group, resource, ns, name, subresource);
        yield return ServiceAccountOf(username) is { } sa ? Check("", "serviceaccounts", sa.Name, sa.Namespace) : Check("", "users", username);
        foreach (var group in groups)
        {
            yield return Check("", "groups", group);
        }
        foreach (var (key, values) in extra)
        {
            foreach (var value in values)
            {
                yield return Check("authentication.k8s.io", "userextras", value, subresource: key);
            }
        }
        if (uid.Length > 0)
        {
            yield return Check("authentication.k8s.io", "uids", uid);
        }
    }

    private static AuthenticatedUser Impersonated(string username, List<string> groups, string uid, Dictionary<string, IReadOnlyList<string>> extra)
    {
        var all = groups.Count == 0 && ServiceAccountOf(username) is { } sa
            ? ["system:serviceaccounts", "system:serviceaccounts:" + sa.Namespace]
            : new List<string>(groups);
        var anonymous = username == "system:anonymous";
        if (!all.Contains("system:authenticated") && !all.Contains("system:unauthenticated"))
        {
            all.Add(anonymous ? "system:unauthenticated" : "system:authenticated");
        }
        return new AuthenticatedUser(username, all, extra) { Uid = uid.Length > 0 ? uid : null };
    }

    /// <summary>Namespace and name of a <c>system:serviceaccount:NS:NAME</c> user name; null for other names.</summary>
    private static (string Namespace, string Name)? ServiceAccountOf(string username)
    {
        if (!username.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        var parts = username[ServiceAccountPrefix.Length..].Split(':');
        return parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0 ? (parts[0], parts[1]) : null;
    }

    /// <summary><c>Impersonate-Extra-&lt;key&gt;</c> headers: the key lower-cased and percent-decoded, each value once per header value.</summary>
    private static Dictionary<string, IReadOnlyList<string>> Extras(IHeaderDictionary headers)
    {
        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (name, values) in headers)
        {
            if (name.StartsWith(ExtraPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > ExtraPrefix.Length)
            {
                extra[Uri.UnescapeDataString(name[ExtraPrefix.Length..].ToLowerInvariant())] = [.. values.Select(v => v ?? "")];
            }
        }
        return extra;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1011, EventName = "ImpersonationForbidden", Level = LogLevel.Debug,
            Message = "Forbidden: {User} may not impersonate {Resource} {Name}")]
        public static partial void Denied(ILogger logger, string user, string resource, string name);
    }
}
