using System.Text.Json.Nodes;

namespace Berth.Registry.Autoscaling;

/// <summary>
/// The default scaling rules of an HPA <c>behavior</c>, as fresh objects the caller may keep: scale up by the larger of
/// 4 pods or 100% per 15 s with no stabilization; scale down by up to 100% per 15 s, its stabilization window left
/// unset (the controller's downscale window, 300 s, applies). Both select the policy allowing the larger change (Max).
/// Mirrors the defaultHPAScaleUpRules / defaultHPAScaleDownRules of kubernetes/kubernetes pkg/apis/autoscaling/v2/defaults.go.
/// </summary>
public static class ScalingRulesDefaults
{
    /// <summary>The period of the default policies, in seconds.</summary>
    public const int PeriodSeconds = 15;

    public static JsonObject ScaleUp() => new()
    {
        ["stabilizationWindowSeconds"] = 0,
        ["selectPolicy"] = "Max",
        ["policies"] = new JsonArray(Policy("Pods", 4), Policy("Percent", 100)),
    };

    public static JsonObject ScaleDown() => new()
    {
        ["selectPolicy"] = "Max",
        ["policies"] = new JsonArray(Policy("Percent", 100)),
    };

    private static JsonObject Policy(string type, int value) =>
        new() { ["type"] = type, ["value"] = value, ["periodSeconds"] = PeriodSeconds };
}
