using System.Text.Json.Nodes;
using Berth.ApiServer.Http;
using Berth.Machinery.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.ApiServer.Auth;

/// <summary>
/// The self-review APIs kubectl's <c>auth</c> commands call: <c>selfsubjectaccessreviews</c> (<c>kubectl auth
/// can-i</c>), <c>selfsubjectrulesreviews</c> (<c>can-i --list</c>) and <c>selfsubjectreviews</c> (<c>auth whoami</c>).
/// Berth has no authorizer: every authenticated request (the administrator whose bearer token the server wrote into
/// its kubeconfig, or a ServiceAccount token) may do everything, as <c>system:masters</c> may upstream. The reviews
/// answer exactly that, and <c>whoami</c> names the requester (<see cref="AuthenticatedUser"/>); nothing is stored
/// (upstream: create-only virtual resources).
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/registry/authorization/selfsubjectaccessreview/rest.go,
/// selfsubjectrulesreview/rest.go and pkg/registry/authentication/selfsubjectreview/rest.go. Stateless.
/// </remarks>
public static class SelfReviewEndpoints
{
    /// <summary>The identity behind the server's token (the kubeconfig's user).</summary>
    public const string UserName = "berth-admin";

    private const string Authorization = "/apis/authorization.k8s.io/v1/";
    private const string Authentication = "/apis/authentication.k8s.io/v1/";
    private const string Reason = "berth: the administrator may do everything (no authorizer is configured)";

    public static IEndpointRouteBuilder MapSelfReviews(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Authorization + "selfsubjectaccessreviews", context =>
            ReplyAsync(context, "authorization.k8s.io/v1", "SelfSubjectAccessReview", hasSpec: true,
                new JsonObject { ["allowed"] = true, ["reason"] = Reason }));
        endpoints.MapPost(Authorization + "selfsubjectrulesreviews", context =>
            ReplyAsync(context, "authorization.k8s.io/v1", "SelfSubjectRulesReview", hasSpec: true, new JsonObject
            {
                ["resourceRules"] = new JsonArray(new JsonObject { ["verbs"] = Any(), ["apiGroups"] = Any(), ["resources"] = Any() }),
                ["nonResourceRules"] = new JsonArray(new JsonObject { ["verbs"] = Any(), ["nonResourceURLs"] = Any() }),
                ["incomplete"] = false,
            }));
        endpoints.MapPost(Authentication + "selfsubjectreviews", context =>
            ReplyAsync(context, "authentication.k8s.io/v1", "SelfSubjectReview", hasSpec: false, new JsonObject
            {
                ["userInfo"] = UserInfo(AuthenticatedUser.Of(context)),
            }));
        return endpoints;
    }

    /// <summary>
    /// 201 with the review's <c>spec</c> echoed when the kind has one (JSON bodies; a protobuf body's spec is not
    /// decoded, since only the status matters to the caller) and <paramref name="status"/>. A malformed body is 400.
    /// </summary>
    private static async Task ReplyAsync(HttpContext context, string apiVersion, string kind, bool hasSpec, JsonObject status)
    {
        var spec = new JsonObject();
        var contentType = context.Request.ContentType ?? "";
        if (!contentType.StartsWith("application/vnd.kubernetes.protobuf", StringComparison.OrdinalIgnoreCase))
        {
            var review = await RequestDecoder.ReadOptionalObjectAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
            if (review?["spec"] is JsonObject given)
            {
                spec = (JsonObject)given.DeepClone();
            }
        }
        var reply = new JsonObject
        {
            ["kind"] = kind,
            ["apiVersion"] = apiVersion,
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
        };
        if (hasSpec)
        {
            reply["spec"] = spec;
        }
        reply["status"] = status;
        await ResponseWriter.WriteObjectAsync(context, StatusCodes.Status201Created, reply).ConfigureAwait(false);
    }

    private static JsonArray Any() => new("*");

    /// <summary>authentication.k8s.io/v1 UserInfo of <paramref name="user"/> (<c>extra</c> only when it has any).</summary>
    private static JsonObject UserInfo(AuthenticatedUser user)
    {
        var info = new JsonObject
        {
            ["username"] = user.Name,
            ["groups"] = new JsonArray(user.Groups.Select(g => (JsonNode?)JsonValue.Create(g)).ToArray()),
        };
        if (user.Extra.Count > 0)
        {
            var extra = new JsonObject();
            foreach (var (key, values) in user.Extra)
            {
                extra[key] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            }
            info["extra"] = extra;
        }
        return info;
    }
}
