using System.Text.Json.Nodes;
using Berth.ApiServer.Http;
using Berth.Registry.Rbac;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.ApiServer.Auth;

/// <summary>
/// The self-review APIs kubectl's <c>auth</c> commands call: <c>selfsubjectaccessreviews</c> (<c>kubectl auth
/// can-i</c>), answered by the <see cref="RbacAuthorizer"/> for the requesting user; <c>selfsubjectrulesreviews</c>
/// (<c>can-i --list</c>), the rules the user's RBAC bindings give it in the namespace; and <c>selfsubjectreviews</c>
/// (<c>auth whoami</c>), which names the requester (<see cref="AuthenticatedUser"/>). Nothing is stored (upstream:
/// create-only virtual resources). JSON and protobuf review bodies are read.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/registry/authorization/selfsubjectaccessreview/rest.go,
/// selfsubjectrulesreview/rest.go, pkg/registry/authorization/util (ResourceAttributesFrom) and
/// pkg/registry/authentication/selfsubjectreview/rest.go. Stateless.
/// </remarks>
public static class SelfReviewEndpoints
{
    /// <summary>The identity behind the server's token (the kubeconfig's user).</summary>
    public const string UserName = "berth-admin";

    private const string Authorization = "/apis/authorization.k8s.io/v1/";
    private const string Authentication = "/apis/authentication.k8s.io/v1/";

    /// <summary>Maps the three reviews; needs the <see cref="RbacAuthorizer"/> registered (AddRbacAuthorization).</summary>
    public static IEndpointRouteBuilder MapSelfReviews(this IEndpointRouteBuilder endpoints)
    {
        var authorizer = endpoints.ServiceProvider.GetRequiredService<RbacAuthorizer>();
        endpoints.MapPost(Authorization + "selfsubjectaccessreviews", context =>
            ReplyAsync(context, "authorization.k8s.io/v1", "SelfSubjectAccessReview", hasSpec: true,
                spec => AccessStatus(authorizer, AuthenticatedUser.Of(context), spec)));
        endpoints.MapPost(Authorization + "selfsubjectrulesreviews", context =>
            ReplyAsync(context, "authorization.k8s.io/v1", "SelfSubjectRulesReview", hasSpec: true,
                spec => RulesStatus(authorizer, AuthenticatedUser.Of(context), spec)));
        endpoints.MapPost(Authentication + "selfsubjectreviews", context =>
            ReplyAsync(context, "authentication.k8s.io/v1", "SelfSubjectReview", hasSpec: false,
                _ => new JsonObject { ["userInfo"] = UserInfo(AuthenticatedUser.Of(context)) }));
        return endpoints;
    }

    /// <summary>201 with the review's <c>spec</c> echoed when the kind has one and the status computed from it. A malformed body is 400.</summary>
    private static async Task ReplyAsync(HttpContext context, string apiVersion, string kind, bool hasSpec, Func<JsonObject, JsonObject> status)
    {
        var spec = new JsonObject();
        if (hasSpec && await RequestDecoder.ReadOptionalObjectAsync(context.Request, context.RequestAborted).ConfigureAwait(false) is { } review
            && review["spec"] is JsonObject given)
        {
            spec = (JsonObject)given.DeepClone();
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
        reply["status"] = status(spec);
        await ResponseWriter.WriteObjectAsync(context, StatusCodes.Status201Created, reply).ConfigureAwait(false);
    }

    /// <summary>SubjectAccessReviewStatus: <c>allowed</c> and, when the authorizer gave one, <c>reason</c>.</summary>
    private static JsonObject AccessStatus(RbacAuthorizer authorizer, AuthenticatedUser user, JsonObject spec)
    {
        var decision = authorizer.Authorize(AccessReviewAttributes.From(user, spec));
        var status = new JsonObject { ["allowed"] = decision.Allowed };
        if (decision.Reason.Length > 0)
        {
            status["reason"] = decision.Reason;
        }
        return status;
    }

    /// <summary>SubjectRulesReviewStatus: the user's rules in <c>spec.namespace</c>, split into resource and non-resource rules.</summary>
    private static JsonObject RulesStatus(RbacAuthorizer authorizer, AuthenticatedUser user, JsonObject spec)
    {
        var ns = spec["namespace"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
        var (rules, errors) = authorizer.Policy.Current.RulesFor(user.Name, user.Groups, ns);
        var resourceRules = new JsonArray();
        var nonResourceRules = new JsonArray();
        foreach (var rule in rules)
        {
            var json = rule.ToJson();
            if (rule.NonResourceUrls.IsEmpty)
            {
                json["apiGroups"] ??= new JsonArray();
                json["resources"] ??= new JsonArray();
                resourceRules.Add(json);
            }
            else
            {
                nonResourceRules.Add(json);
            }
        }
        var status = new JsonObject { ["resourceRules"] = resourceRules, ["nonResourceRules"] = nonResourceRules, ["incomplete"] = errors.Count > 0 };
        if (errors.Count > 0)
        {
            status["evaluationError"] = string.Join(", ", errors.Distinct(StringComparer.Ordinal));
        }
        return status;
    }

    /// <summary>authentication.k8s.io/v1 UserInfo of <paramref name="user"/> (<c>uid</c> and <c>extra</c> only when it has them).</summary>
    private static JsonObject UserInfo(AuthenticatedUser user)
    {
        var info = new JsonObject { ["username"] = user.Name };
        if (user.Uid is { } uid)
        {
            info["uid"] = uid;
        }
        info["groups"] = new JsonArray(user.Groups.Select(g => (JsonNode?)JsonValue.Create(g)).ToArray());
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
