using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Rbac;

/// <summary>
/// Roles and ClusterRoles (rbac.authorization.k8s.io/v1): path-segment names; every rule has verbs and either API
/// groups and resources or (ClusterRoles only) non-resource URLs; a ClusterRole's aggregationRule has at least one
/// valid selector. A PUT of a missing role creates it. Stateless and thread-safe.
/// Mirrors kubernetes/kubernetes pkg/registry/rbac/role/strategy.go, clusterrole/strategy.go and
/// pkg/apis/rbac/validation (ValidateRole, ValidateClusterRole).
/// </summary>
internal sealed class RoleStrategy(ResourceKind kind) : ResourceStrategy(kind)
{
    public override bool AllowCreateOnUpdate => true;

    private protected override NameValidator NameValidator => RbacValidation.PathSegmentName;

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        RbacValidation.ValidateRules(obj, Kind.Namespaced, errs);
        if (!Kind.Namespaced && obj["aggregationRule"] is JsonObject aggregation)
        {
            var selectors = aggregation["clusterRoleSelectors"] as JsonArray;
            if (selectors is null or { Count: 0 })
            {
                errs.Add(FieldError.Required("aggregationRule.clusterRoleSelectors",
                    "at least one clusterRoleSelector required if aggregationRule is non-nil"));
            }
            foreach (var (i, selector) in JsonFields.Objects(selectors))
            {
                LabelSelectors.Validate(selector, $"aggregationRule.clusterRoleSelectors[{i}]", errs);
            }
        }
        return errs;
    }
}
