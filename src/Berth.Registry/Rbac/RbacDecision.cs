namespace Berth.Registry.Rbac;

/// <summary>
/// An authorizer's answer: allowed or not, and the reason (<c>RBAC: allowed by …</c>, or on denial the errors met
/// while resolving the subject's bindings, <c>RBAC: role.rbac.authorization.k8s.io "x" not found</c>; empty when there
/// were none). Immutable.
/// </summary>
public readonly record struct RbacDecision(bool Allowed, string Reason)
{
    public static readonly RbacDecision AllowedWithoutReason = new(true, "");
}
