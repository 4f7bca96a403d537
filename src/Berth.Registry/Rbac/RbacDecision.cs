namespace Berth.Registry.Rbac;

/// <summary>
/// An authorizer's answer: allowed or not, and the reason (<c>RBAC: allowed by …</c>, or on denial the errors met
/// while resolving the subject's bindings, <c>RBAC: role.rbac.authorization.k8s.io "x" not found</c>; empty when there
/// were none). The reason is formatted only when read, so a decision that nobody explains allocates nothing. Immutable.
/// </summary>
public readonly struct RbacDecision
{
    public static readonly RbacDecision AllowedWithoutReason = new(true, null, null);

    private readonly RbacGrant? _allowedBy;
    private readonly List<string>? _errors;

    private RbacDecision(bool allowed, RbacGrant? allowedBy, List<string>? errors)
    {
        Allowed = allowed;
        _allowedBy = allowedBy;
        _errors = errors;
    }

    public bool Allowed { get; }

    public string Reason =>
        _allowedBy is not null ? "RBAC: allowed by " + _allowedBy.Description
        : _errors is not null ? "RBAC: " + Aggregate(_errors)
        : "";

    internal static RbacDecision AllowedBy(RbacGrant grant) => new(true, grant, null);

    internal static RbacDecision Denied(List<string>? errors) => new(false, null, errors);

    /// <summary>utilerrors.NewAggregate(errs).Error(): one message alone, several deduplicated in brackets.</summary>
    private static string Aggregate(List<string> errors)
    {
        var distinct = errors.Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count == 1 ? distinct[0] : "[" + string.Join(", ", distinct) + "]";
    }
}
