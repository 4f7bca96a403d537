using System.Text.Json.Nodes;
using Berth.Registry.Core.Pods;
using Berth.Registry.Validation;

namespace Berth.Registry.Apps.StatefulSets;

/// <summary>
/// apps/v1 StatefulSet defaults: OrderedReady, RollingUpdate with partition 0, Retain/Retain PVC retention,
/// 1 replica, 10 revisions, Filesystem claim templates, and pod-spec defaults on the template. Mutates in place;
/// idempotent. Mirrors kubernetes/kubernetes pkg/apis/apps/v1/defaults.go (SetDefaults_StatefulSet).
/// </summary>
internal static class StatefulSetDefaults
{
    public static void Apply(JsonObject spec)
    {
        JsonFields.SetDefaultString(spec, "podManagementPolicy", "OrderedReady");
        var strategy = JsonFields.Child(spec, "updateStrategy");
        if (string.IsNullOrEmpty(JsonFields.AsString(strategy["type"])))
        {
            strategy["type"] = "RollingUpdate";
            JsonFields.Child(strategy, "rollingUpdate");
        }
        if (JsonFields.AsString(strategy["type"]) == "RollingUpdate" && strategy["rollingUpdate"] is JsonObject rollingUpdate)
        {
            JsonFields.SetDefault(rollingUpdate, "partition", 0L);
        }
        var retention = JsonFields.Child(spec, "persistentVolumeClaimRetentionPolicy");
        JsonFields.SetDefaultString(retention, "whenDeleted", "Retain");
        JsonFields.SetDefaultString(retention, "whenScaled", "Retain");
        JsonFields.SetDefault(spec, "replicas", 1L);
        JsonFields.SetDefault(spec, "revisionHistoryLimit", 10L);
        foreach (var (_, claim) in JsonFields.Objects(spec["volumeClaimTemplates"] as JsonArray))
        {
            JsonFields.SetDefaultString(JsonFields.Child(claim, "spec"), "volumeMode", "Filesystem");
        }
        PodTemplateValidation.Default(spec["template"] as JsonObject);
    }
}
