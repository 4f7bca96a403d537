using System.Text.Json.Nodes;
using Berth.Registry.Core.Pods;
using Berth.Registry.Validation;

namespace Berth.Registry.Apps.Deployments;

/// <summary>
/// apps/v1 Deployment defaults: 1 replica, RollingUpdate 25%/25% (strings: int-or-percent), 10 revisions,
/// 600 s progress deadline, and pod-spec defaults on the template. Mutates in place; idempotent. Mirrors
/// kubernetes/kubernetes pkg/apis/apps/v1/defaults.go (SetDefaults_Deployment).
/// </summary>
internal static class DeploymentDefaults
{
    public static void Apply(JsonObject spec)
    {
        JsonFields.SetDefault(spec, "replicas", 1L);
        var strategy = JsonFields.Child(spec, "strategy");
        JsonFields.SetDefaultString(strategy, "type", "RollingUpdate");
        if (JsonFields.AsString(strategy["type"]) == "RollingUpdate")
        {
            var rollingUpdate = JsonFields.Child(strategy, "rollingUpdate");
            JsonFields.SetDefault(rollingUpdate, "maxUnavailable", "25%");
            JsonFields.SetDefault(rollingUpdate, "maxSurge", "25%");
        }
        JsonFields.SetDefault(spec, "revisionHistoryLimit", 10L);
        JsonFields.SetDefault(spec, "progressDeadlineSeconds", 600L);
        PodTemplateValidation.Default(spec["template"] as JsonObject);
    }
}
