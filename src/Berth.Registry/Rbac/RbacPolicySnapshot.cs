using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Berth.Registry.Rbac;

/// <summary>
/// Every RBAC grant at one point in time, indexed by scope and subject, so that an authorization decision reads no
/// store and takes no lock: the ClusterRoleBindings' grants apply everywhere, a namespace's RoleBindings' grants only to
/// requests in that namespace. Built by <see cref="RbacPolicyBuilder"/>; immutable and thread-safe.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/rbac.go (RBACAuthorizer.Authorize, RulesFor) and
/// pkg/registry/rbac/validation/rule.go (VisitRulesFor), with the role references resolved ahead of time instead of
/// through listers on every request.
/// </remarks>
public sealed class RbacPolicySnapshot
{
    /// <summary>No grants at all: every non-privileged request is denied.</summary>
    public static readonly RbacPolicySnapshot Empty = new(RbacSubjectIndex.Empty, FrozenDictionary<string, RbacSubjectIndex>.Empty,
        FrozenDictionary<string, ImmutableArray<PolicyRule>>.Empty, FrozenDictionary<(string, string), ImmutableArray<PolicyRule>>.Empty);

    private readonly RbacSubjectIndex _cluster;
    private readonly FrozenDictionary<string, RbacSubjectIndex> _namespaces;
    private readonly FrozenDictionary<string, ImmutableArray<PolicyRule>> _clusterRoles;
    private readonly FrozenDictionary<(string Namespace, string Name), ImmutableArray<PolicyRule>> _roles;

    internal RbacPolicySnapshot(RbacSubjectIndex cluster, FrozenDictionary<string, RbacSubjectIndex> namespaces,
        FrozenDictionary<string, ImmutableArray<PolicyRule>> clusterRoles, FrozenDictionary<(string, string), ImmutableArray<PolicyRule>> roles)
    {
        _cluster = cluster;
        _namespaces = namespaces;
        _clusterRoles = clusterRoles;
        _roles = roles;
    }

    /// <summary>The rules of the Role <paramref name="name"/> in <paramref name="ns"/> (kind <c>Role</c>) or of the ClusterRole; null when absent.</summary>
    public ImmutableArray<PolicyRule>? RoleRules(string ns, string kind, string name) =>
        kind == "Role"
            ? _roles.TryGetValue((ns, name), out var role) ? role : null
            : _clusterRoles.TryGetValue(name, out var clusterRole) ? clusterRole : null;

    /// <summary>Allowed when a rule of a grant bound to the user or one of its groups matches (upstream Authorize).</summary>
    public RbacDecision Authorize(AuthorizationAttributes request)
    {
        List<string>? errors = null;
        var grant = _cluster.FindAllowing(request, ref errors);
        if (grant is null && request.Namespace.Length > 0 && _namespaces.TryGetValue(request.Namespace, out var scoped))
        {
            grant = scoped.FindAllowing(request, ref errors);
        }
        return grant is not null ? RbacDecision.AllowedBy(grant) : RbacDecision.Denied(errors);
    }

    /// <summary>
    /// The rules the user holds in <paramref name="ns"/> (cluster-wide grants included) and the errors met resolving
    /// its bindings (upstream RulesFor; the rules review reports them as incomplete).
    /// </summary>
    public (IReadOnlyList<PolicyRule> Rules, IReadOnlyList<string> Errors) RulesFor(string user, IReadOnlyList<string> groups, string ns)
    {
        var rules = new List<PolicyRule>();
        var errors = new List<string>();
        var grants = _cluster.For(user, groups);
        if (ns.Length > 0 && _namespaces.TryGetValue(ns, out var scoped))
        {
            grants = grants.Concat(scoped.For(user, groups));
        }
        foreach (var grant in grants)
        {
            if (grant.Error is { } error)
            {
                errors.Add(error);
            }
            rules.AddRange(grant.Rules);
        }
        return (rules, errors);
    }
}
