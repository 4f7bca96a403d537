using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;

namespace Berth.Controllers.Rbac;

/// <summary>
/// The storage form of the default roles and bindings: labelled <c>kubernetes.io/bootstrapping=rbac-defaults</c> and
/// annotated <c>rbac.authorization.kubernetes.io/autoupdate=true</c>, which tells <see cref="RbacBootstrap"/> it may
/// reconcile them at start (remove the annotation to keep an edited default as it is). Stateless.
/// </summary>
internal static class BootstrapObjects
{
    public const string BootstrappingLabel = "kubernetes.io/bootstrapping";
    public const string BootstrappingValue = "rbac-defaults";
    public const string AutoUpdateAnnotation = "rbac.authorization.kubernetes.io/autoupdate";

    public static JsonObject ClusterRole(BootstrapClusterRole role)
    {
        var labels = new JsonObject { [BootstrappingLabel] = BootstrappingValue };
        foreach (var (key, value) in role.Labels ?? [])
        {
            labels[key] = value;
        }
        var obj = new JsonObject
        {
            ["apiVersion"] = KindRegistry.ClusterRoles.ApiVersion,
            ["kind"] = KindRegistry.ClusterRoles.Kind,
            ["metadata"] = Metadata(role.Name, labels),
            ["rules"] = new JsonArray([.. role.Rules.Select(r => (JsonNode?)r.ToJson())]),
        };
        if (role.AggregateFrom is { } label)
        {
            obj["aggregationRule"] = new JsonObject
            {
                ["clusterRoleSelectors"] = new JsonArray(new JsonObject { ["matchLabels"] = new JsonObject { [label] = "true" } }),
            };
        }
        return obj;
    }

    public static JsonObject ClusterRoleBinding(string name, string role, string[] groups) => new()
    {
        ["apiVersion"] = KindRegistry.ClusterRoleBindings.ApiVersion,
        ["kind"] = KindRegistry.ClusterRoleBindings.Kind,
        ["metadata"] = Metadata(name, new JsonObject { [BootstrappingLabel] = BootstrappingValue }),
        ["roleRef"] = new JsonObject { ["apiGroup"] = KindRegistry.RbacGroup, ["kind"] = "ClusterRole", ["name"] = role },
        ["subjects"] = new JsonArray([.. groups.Select(g => (JsonNode?)new JsonObject
        {
            ["apiGroup"] = KindRegistry.RbacGroup,
            ["kind"] = "Group",
            ["name"] = g,
        })]),
    };

    private static JsonObject Metadata(string name, JsonObject labels) => new()
    {
        ["name"] = name,
        ["labels"] = labels,
        ["annotations"] = new JsonObject { [AutoUpdateAnnotation] = "true" },
    };
}
