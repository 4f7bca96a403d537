using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using Berth.Registry.Validation;

namespace Berth.Registry.Rbac;

/// <summary>
/// Builds an <see cref="RbacPolicySnapshot"/> from the stored roles and bindings: each binding's role reference is
/// resolved once (a Role in the binding's namespace or a ClusterRole; a missing one becomes the grant's error, as
/// upstream's NotFound), and each subject is indexed. Pure; costs O(roles + bindings × subjects).
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/registry/rbac/validation/rule.go (GetRoleReferenceRules, appliesToUser).</remarks>
public static class RbacPolicyBuilder
{
    public static RbacPolicySnapshot Build(IEnumerable<JsonObject> clusterRoles, IEnumerable<JsonObject> roles,
        IEnumerable<JsonObject> clusterRoleBindings, IEnumerable<JsonObject> roleBindings)
    {
        var clusterRoleRules = clusterRoles.ToDictionary(r => r.GetName() ?? "", Rules, StringComparer.Ordinal);
        var roleRules = roles.ToDictionary(r => (r.GetNamespace() ?? "", r.GetName() ?? ""), Rules);
        var cluster = new IndexBuilder();
        foreach (var binding in clusterRoleBindings)
        {
            var roleRef = RoleRef(binding);
            var (rules, error) = clusterRoleRules.TryGetValue(roleRef.Name, out var found) && roleRef.Kind == "ClusterRole"
                ? (found, null)
                : (ImmutableArray<PolicyRule>.Empty, $"clusterrole.rbac.authorization.k8s.io \"{roleRef.Name}\" not found");
            cluster.Add(binding, "", $"ClusterRoleBinding \"{binding.GetName()}\"", roleRef, rules, error);
        }
        var namespaces = new Dictionary<string, IndexBuilder>(StringComparer.Ordinal);
        foreach (var binding in roleBindings)
        {
            var ns = binding.GetNamespace() ?? "";
            var roleRef = RoleRef(binding);
            var (rules, error) = roleRef.Kind switch
            {
                "Role" when roleRules.TryGetValue((ns, roleRef.Name), out var r) => (r, (string?)null),
                "ClusterRole" when clusterRoleRules.TryGetValue(roleRef.Name, out var r) => (r, null),
                "ClusterRole" => (ImmutableArray<PolicyRule>.Empty, $"clusterrole.rbac.authorization.k8s.io \"{roleRef.Name}\" not found"),
                _ => (ImmutableArray<PolicyRule>.Empty, $"role.rbac.authorization.k8s.io \"{roleRef.Name}\" not found"),
            };
            if (!namespaces.TryGetValue(ns, out var index))
            {
                namespaces[ns] = index = new IndexBuilder();
            }
            index.Add(binding, ns, $"RoleBinding \"{binding.GetName()}/{ns}\"", roleRef, rules, error);
        }
        return new RbacPolicySnapshot(cluster.Build(), namespaces.ToFrozenDictionary(p => p.Key, p => p.Value.Build(), StringComparer.Ordinal),
            clusterRoleRules.ToFrozenDictionary(StringComparer.Ordinal), roleRules.ToFrozenDictionary());
    }

    private static ImmutableArray<PolicyRule> Rules(JsonObject role) =>
        [.. JsonFields.Objects(role["rules"] as JsonArray).Select(r => PolicyRule.From(r.Item))];

    private static (string Kind, string Name) RoleRef(JsonObject binding)
    {
        var roleRef = binding["roleRef"] as JsonObject ?? [];
        return (JsonFields.AsString(roleRef["kind"]) ?? "", JsonFields.AsString(roleRef["name"]) ?? "");
    }

    /// <summary>Collects one scope's grants by subject.</summary>
    private sealed class IndexBuilder
    {
        private readonly Dictionary<string, List<RbacGrant>> _users = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<RbacGrant>> _groups = new(StringComparer.Ordinal);

        /// <summary>
        /// Indexes every subject of <paramref name="binding"/>. A ServiceAccount without a namespace takes the binding's
        /// (<paramref name="ns"/>); in a ClusterRoleBinding it matches nobody, as upstream.
        /// </summary>
        public void Add(JsonObject binding, string ns, string bindingName, (string Kind, string Name) roleRef,
            ImmutableArray<PolicyRule> rules, string? error)
        {
            foreach (var (_, subject) in JsonFields.Objects(binding["subjects"] as JsonArray))
            {
                var name = JsonFields.AsString(subject["name"]) ?? "";
                var (target, key, described) = (JsonFields.AsString(subject["kind"]) ?? "") switch
                {
                    "User" => (_users, name, $"User \"{name}\""),
                    "Group" => (_groups, name, $"Group \"{name}\""),
                    "ServiceAccount" => ServiceAccount(name, JsonFields.AsString(subject["namespace"]) is { Length: > 0 } n ? n : ns),
                    _ => (null, "", ""),
                };
                if (target is null || key.Length == 0)
                {
                    continue;
                }
                if (!target.TryGetValue(key, out var grants))
                {
                    target[key] = grants = [];
                }
                grants.Add(new RbacGrant($"{bindingName} of {roleRef.Kind} \"{roleRef.Name}\" to {described}", rules, error));
            }
        }

        public RbacSubjectIndex Build() => new(_users, _groups);

        private (Dictionary<string, List<RbacGrant>>?, string, string) ServiceAccount(string name, string ns) =>
            ns.Length == 0 ? (null, "", "") : (_users, $"system:serviceaccount:{ns}:{name}", $"ServiceAccount \"{name}/{ns}\"");
    }
}
