namespace Berth.Controllers.Rbac;

/// <summary>
/// Berth's default ClusterRoleBindings: <c>system:masters</c> is cluster-admin; every authenticated user may discover
/// the API and review its own access; anyone may read health and version; ServiceAccounts may read the issuer
/// discovery documents. Immutable data.
/// </summary>
/// <remarks>The semantics of kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go (ClusterRoleBindings).</remarks>
internal static class BootstrapBindings
{
    /// <summary>Binding name (the role's name, as upstream), the ClusterRole and the groups bound to it.</summary>
    public static IReadOnlyList<(string Name, string Role, string[] Groups)> All { get; } =
    [
        ("cluster-admin", "cluster-admin", ["system:masters"]),
        ("system:discovery", "system:discovery", ["system:authenticated"]),
        ("system:basic-user", "system:basic-user", ["system:authenticated"]),
        ("system:public-info-viewer", "system:public-info-viewer", ["system:authenticated", "system:unauthenticated"]),
        ("system:service-account-issuer-discovery", "system:service-account-issuer-discovery", ["system:serviceaccounts"]),
    ];
}
