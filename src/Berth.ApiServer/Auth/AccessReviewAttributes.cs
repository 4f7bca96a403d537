using System.Text.Json.Nodes;
using Berth.Registry.Rbac;

namespace Berth.ApiServer.Auth;

/// <summary>
/// The attributes an access review asks about: <c>spec.resourceAttributes</c> (verb, group, resource, subresource,
/// namespace, name) or <c>spec.nonResourceAttributes</c> (verb, path), for the given user. Stateless.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/registry/authorization/util/helpers.go (ResourceAttributesFrom, NonResourceAttributesFrom).</remarks>
internal static class AccessReviewAttributes
{
    public static AuthorizationAttributes From(AuthenticatedUser user, JsonObject spec)
    {
        if (spec["resourceAttributes"] is JsonObject r)
        {
            return new AuthorizationAttributes(user.Name, user.Groups, Str(r, "verb"), true, "", Str(r, "group"), Str(r, "version"),
                Str(r, "resource"), Str(r, "subresource"), Str(r, "namespace"), Str(r, "name"));
        }
        var n = spec["nonResourceAttributes"] as JsonObject ?? [];
        return AuthorizationAttributes.ForPath(user.Name, user.Groups, Str(n, "verb"), Str(n, "path"));
    }

    private static string Str(JsonObject obj, string field) =>
        obj[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
