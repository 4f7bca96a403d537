using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Autoscaling;

/// <summary>
/// HorizontalPodAutoscalers (autoscaling/v2): generation tracking, status through <c>/status</c> only; minReplicas
/// defaults to 1, no metrics to 80% average CPU utilization, and a given <c>behavior</c> has its missing rules and
/// fields filled from upstream's defaults (scale-down's stabilization window stays unset: the controller applies its
/// 300 s default); autoscaling/v1's round-trip annotations are dropped. Validation as upstream with its field paths. Stateless, thread-safe.
/// Mirrors kubernetes/kubernetes pkg/registry/autoscaling/horizontalpodautoscaler/strategy.go and
/// pkg/apis/autoscaling/v2/defaults.go (SetDefaults_HorizontalPodAutoscaler, SetDefaults_HorizontalPodAutoscalerBehavior).
/// </summary>
internal sealed class HorizontalPodAutoscalerStrategy() : ResourceStrategy(KindRegistry.HorizontalPodAutoscalers)
{
    /// <summary>The CPU utilization target of an HPA created without metrics (upstream DefaultCPUUtilization).</summary>
    public const int DefaultCpuUtilization = 80;

    public override bool TracksGeneration => true;

    public override void Default(JsonObject obj)
    {
        DropRoundTripAnnotations(obj);
        var spec = JsonFields.Child(obj, "spec");
        JsonFields.SetDefault(spec, "minReplicas", 1);
        if (spec["metrics"] is not JsonArray { Count: > 0 })
        {
            spec["metrics"] = new JsonArray(new JsonObject
            {
                ["type"] = "Resource",
                ["resource"] = new JsonObject
                {
                    ["name"] = "cpu",
                    ["target"] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = DefaultCpuUtilization },
                },
            });
        }
        if (spec["behavior"] is JsonObject behavior)
        {
            behavior["scaleUp"] = DefaultRules(behavior["scaleUp"] as JsonObject, ScalingRulesDefaults.ScaleUp());
            behavior["scaleDown"] = DefaultRules(behavior["scaleDown"] as JsonObject, ScalingRulesDefaults.ScaleDown());
        }
    }

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        HorizontalPodAutoscalerValidation.ValidateSpec(obj["spec"] as JsonObject ?? [], "spec", errs);
        return errs;
    }

    /// <summary>ValidateHorizontalPodAutoscalerStatusUpdate: replica counts are not negative.</summary>
    public override IReadOnlyList<FieldError> ValidateStatusUpdate(JsonObject newObj, JsonObject oldObj)
    {
        var errs = new List<FieldError>(base.ValidateStatusUpdate(newObj, oldObj));
        foreach (var field in (string[])["currentReplicas", "desiredReplicas"])
        {
            if (JsonFields.AsLong(newObj["status"]?[field]) is < 0 and var value)
            {
                errs.Add(FieldError.Invalid("status." + field, value, ValidationMessages.IsNegativeError));
            }
        }
        return errs;
    }

    /// <summary>
    /// The autoscaling/v1 round-trip annotations never reach storage: v2 expresses everything they carry, and a v1 read
    /// recomputes them (upstream's v2 conversion drops them, DropRoundTripHorizontalPodAutoscalerAnnotations).
    /// </summary>
    private static void DropRoundTripAnnotations(JsonObject obj)
    {
        if (obj["metadata"]?["annotations"] is JsonObject annotations)
        {
            var kept = RoundTripAnnotations.WithoutRoundTripKeys(annotations);
            if (kept.Count == 0)
            {
                obj["metadata"]!.AsObject().Remove("annotations");
            }
            else if (kept.Count != annotations.Count)
            {
                obj["metadata"]!["annotations"] = kept;
            }
        }
    }

    /// <summary>copyHPAScalingRules: the user's selectPolicy, window, policies and tolerance over the defaults.</summary>
    private static JsonObject DefaultRules(JsonObject? given, JsonObject defaults)
    {
        if (given is null)
        {
            return defaults;
        }
        foreach (var field in (string[])["selectPolicy", "stabilizationWindowSeconds", "policies", "tolerance"])
        {
            if (given[field] is { } value)
            {
                defaults[field] = value.DeepClone();
            }
        }
        return defaults;
    }
}
