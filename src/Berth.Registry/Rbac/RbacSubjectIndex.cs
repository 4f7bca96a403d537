using System.Collections.Frozen;

namespace Berth.Registry.Rbac;

/// <summary>
/// The grants of one scope (all ClusterRoleBindings, or the RoleBindings of one namespace), indexed by subject: by
/// user name (ServiceAccounts under <c>system:serviceaccount:NS:NAME</c>, which is how a ServiceAccount subject matches
/// upstream) and by group name. Immutable once built; lookups allocate nothing.
/// </summary>
public sealed class RbacSubjectIndex
{
    public static readonly RbacSubjectIndex Empty = new(new Dictionary<string, List<RbacGrant>>(), new Dictionary<string, List<RbacGrant>>());

    private readonly FrozenDictionary<string, RbacGrant[]> _users;
    private readonly FrozenDictionary<string, RbacGrant[]> _groups;

    internal RbacSubjectIndex(Dictionary<string, List<RbacGrant>> users, Dictionary<string, List<RbacGrant>> groups)
    {
        _users = users.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        _groups = groups.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Grants bound to <paramref name="user"/> by name, then to each of <paramref name="groups"/>.</summary>
    public IEnumerable<RbacGrant> For(string user, IReadOnlyList<string> groups)
    {
        if (_users.TryGetValue(user, out var byUser))
        {
            foreach (var grant in byUser)
            {
                yield return grant;
            }
        }
        foreach (var group in groups)
        {
            if (_groups.TryGetValue(group, out var byGroup))
            {
                foreach (var grant in byGroup)
                {
                    yield return grant;
                }
            }
        }
    }

    /// <summary>The first grant whose rules allow <paramref name="request"/>; errors of grants that applied are collected.</summary>
    internal RbacGrant? FindAllowing(AuthorizationAttributes request, ref List<string>? errors)
    {
        if (_users.TryGetValue(request.User, out var byUser) && Scan(byUser, request, ref errors) is { } allowedByUser)
        {
            return allowedByUser;
        }
        var groups = request.Groups;
        for (var i = 0; i < groups.Count; i++)
        {
            if (_groups.TryGetValue(groups[i], out var byGroup) && Scan(byGroup, request, ref errors) is { } allowedByGroup)
            {
                return allowedByGroup;
            }
        }
        return null;
    }

    private static RbacGrant? Scan(RbacGrant[] grants, AuthorizationAttributes request, ref List<string>? errors)
    {
        foreach (var grant in grants)
        {
            if (grant.Error is { } error)
            {
                (errors ??= []).Add(error);
                continue;
            }
            foreach (var rule in grant.Rules)
            {
                if (rule.Allows(request))
                {
                    return grant;
                }
            }
        }
        return null;
    }
}
