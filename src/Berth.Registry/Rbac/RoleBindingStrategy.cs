using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Rbac;

/// <summary>
/// RoleBindings and ClusterRoleBindings (rbac.authorization.k8s.io/v1): <c>roleRef</c> names a Role or ClusterRole
/// (a ClusterRoleBinding only a ClusterRole) of the RBAC group and never changes; subjects are ServiceAccounts (a
/// namespace required in a ClusterRoleBinding), Users or Groups. <c>apiGroup</c>s are defaulted as upstream. A PUT of
/// a missing binding creates it. Stateless and thread-safe.
/// Mirrors kubernetes/kubernetes pkg/registry/rbac/rolebinding/strategy.go, clusterrolebinding/strategy.go and
/// pkg/apis/rbac/validation (ValidateRoleBinding, ValidateClusterRoleBinding and their updates).
/// </summary>
internal sealed class RoleBindingStrategy(ResourceKind kind) : ResourceStrategy(kind)
{
    private static readonly string[] NamespacedRoleKinds = ["Role", "ClusterRole"];
    private static readonly string[] ClusterRoleKinds = ["ClusterRole"];

    public override bool AllowCreateOnUpdate => true;

    private protected override NameValidator NameValidator => RbacValidation.PathSegmentName;

    public override void Default(JsonObject obj) => RbacValidation.DefaultBinding(obj);

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        RbacValidation.ValidateRoleRef(obj, Kind.Namespaced ? NamespacedRoleKinds : ClusterRoleKinds, errs);
        RbacValidation.ValidateSubjects(obj, Kind.Namespaced, errs);
        return errs;
    }

    public override IReadOnlyList<FieldError> ValidateUpdate(JsonObject newObj, JsonObject oldObj)
    {
        var errs = new List<FieldError>(base.ValidateUpdate(newObj, oldObj));
        RbacValidation.ValidateRoleRefUnchanged(newObj, oldObj, errs);
        return errs;
    }
}
