using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.Registry.Rbac;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.ApiServer.Auth;

/// <summary>
/// RBAC escalation prevention for writes by users outside <c>system:masters</c>: a Role or ClusterRole may only grant
/// rules the writer holds (in the role's namespace, or cluster-wide), unless it may <c>escalate</c> roles; only a
/// writer holding every permission may set an <c>aggregationRule</c>; a binding may only reference a role whose rules
/// the writer holds, unless it may <c>bind</c> that role. An update that leaves the rules (roles) or the roleRef and
/// subjects (bindings) as they were is not checked. Violations are 403 with upstream's messages. Stateless.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/registry/rbac/{role,clusterrole,rolebinding,clusterrolebinding}/policybased/storage.go,
/// pkg/registry/rbac/escalation_check.go (EscalationAllowed, RoleEscalationAuthorized, BindingAuthorized) and
/// pkg/registry/rbac/validation/rule.go (ConfirmNoEscalation).
/// </remarks>
internal static class RbacEscalationCheck
{
    private static readonly PolicyRule[] FullAuthority = [PolicyRule.ForResources(["*"], ["*"], "*"), PolicyRule.ForUrls(["*"], "*")];

    /// <summary>
    /// <paramref name="options"/> with the check as admission when <paramref name="kind"/> is an RBAC kind and the
    /// request's user (<see cref="AuthenticatedUser"/>) is not the administrator or another master.
    /// </summary>
    public static WriteOptions Guard(WriteOptions options, ResourceKind kind, HttpContext context)
    {
        if (kind.Group != KindRegistry.RbacGroup || context.Features.Get<AuthenticatedUser>() is not { } user
            || user.Groups.Contains(RbacAuthorizer.MastersGroup) || context.RequestServices.GetService<RbacAuthorizer>() is not { } authorizer)
        {
            return options;
        }
        return options with { Admit = (obj, old) => Check(kind, obj, old, user, authorizer) };
    }

    private static void Check(ResourceKind kind, JsonObject obj, JsonObject? old, AuthenticatedUser user, RbacAuthorizer authorizer)
    {
        var ns = kind.Namespaced ? obj.GetNamespace() ?? "" : "";
        var name = obj.GetName() ?? "";
        var policy = authorizer.Policy.Current;
        if (kind == KindRegistry.Roles || kind == KindRegistry.ClusterRoles)
        {
            if ((old is not null && Same(obj, old, "rules") && Same(obj, old, "aggregationRule"))
                || authorizer.Authorize(AuthorizationAttributes.ForResource(user.Name, user.Groups, "escalate", kind.Group, kind.Resource, ns, name)).Allowed)
            {
                return;
            }
            var (held, errors) = policy.RulesFor(user.Name, user.Groups, ns);
            if (obj["aggregationRule"] is JsonObject && RuleCoverage.Missing(held, FullAuthority).Count > 0)
            {
                throw Forbidden(kind, name, "must have cluster-admin privileges to use the aggregationRule");
            }
            ConfirmNoEscalation(kind, name, user, held, errors, Rules(obj));
            return;
        }
        if (old is not null && Same(obj, old, "roleRef") && Same(obj, old, "subjects"))
        {
            return;
        }
        var roleRef = obj["roleRef"] as JsonObject ?? [];
        var (refKind, refName) = ((string?)roleRef["kind"] ?? "", (string?)roleRef["name"] ?? "");
        var roleKind = refKind == "Role" ? KindRegistry.Roles : KindRegistry.ClusterRoles;
        if (authorizer.Authorize(AuthorizationAttributes.ForResource(user.Name, user.Groups, "bind", KindRegistry.RbacGroup, roleKind.Resource, ns, refName)).Allowed)
        {
            return;
        }
        var role = policy.RoleRules(roleKind == KindRegistry.Roles ? ns : "", refKind, refName)
            ?? throw ApiErrors.NotFound($"{roleKind.Singular}.{KindRegistry.RbacGroup}", refName);
        var (owned, ownedErrors) = policy.RulesFor(user.Name, user.Groups, ns);
        ConfirmNoEscalation(kind, name, user, owned, ownedErrors, role);
    }

    private static void ConfirmNoEscalation(ResourceKind kind, string name, AuthenticatedUser user, IReadOnlyList<PolicyRule> held,
        IReadOnlyList<string> errors, IEnumerable<PolicyRule> requested)
    {
        var missing = RuleCoverage.Missing(held, requested);
        if (missing.Count == 0)
        {
            return;
        }
        var groups = "[" + string.Join(" ", user.Groups.Select(GoQuote.Quote)) + "]";
        var message = $"user \"{user.Name}\" (groups={groups}) is attempting to grant RBAC permissions not currently held:\n{string.Join("\n", missing)}";
        if (errors.Count > 0)
        {
            message += $"; resolution errors: [{string.Join(" ", errors)}]";
        }
        throw Forbidden(kind, name, message);
    }

    private static ApiException Forbidden(ResourceKind kind, string name, string message) =>
        new(403, StatusReason.Forbidden, $"{kind.GroupResource} \"{name}\" is forbidden: {message}",
            new k8s.Models.V1StatusDetails { Group = kind.Group, Kind = kind.Resource, Name = name });

    private static IEnumerable<PolicyRule> Rules(JsonObject role) =>
        (role["rules"] as JsonArray ?? []).OfType<JsonObject>().Select(PolicyRule.From);

    private static bool Same(JsonObject a, JsonObject b, string field) => JsonNode.DeepEquals(a[field], b[field]);
}
