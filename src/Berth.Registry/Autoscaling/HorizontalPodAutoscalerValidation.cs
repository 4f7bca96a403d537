using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Rbac;
using Berth.Registry.Validation;

namespace Berth.Registry.Autoscaling;

/// <summary>
/// HorizontalPodAutoscalerSpec validation with upstream's field paths and messages: replica bounds, the scale target
/// reference, each metric (exactly the source its type names) and the behavior's rules and policies. Pure.
/// Mirrors kubernetes/kubernetes pkg/apis/autoscaling/validation/validation.go (validateHorizontalPodAutoscalerSpec,
/// ValidateCrossVersionObjectReference, validateBehavior, validateScalingRules, validateScalingPolicy).
/// </summary>
internal static class HorizontalPodAutoscalerValidation
{
    /// <summary>Upper bounds of a rule's stabilization window and of a policy's period.</summary>
    public const int MaxStabilizationWindowSeconds = 3600;
    public const int MaxPeriodSeconds = 1800;

    private static readonly string[] SelectPolicies = ["Disabled", "Max", "Min"];
    private static readonly string[] PolicyTypes = ["Percent", "Pods"];

    public static void ValidateSpec(JsonObject spec, string path, List<FieldError> errs)
    {
        var minReplicas = JsonFields.AsLong(spec["minReplicas"]);
        var maxReplicas = JsonFields.AsLong(spec["maxReplicas"]) ?? 0;
        if (minReplicas is < 1)
        {
            errs.Add(FieldError.Invalid(FieldPath.Child(path, "minReplicas"), minReplicas, "must be greater than or equal to 1"));
        }
        if (maxReplicas < 1)
        {
            errs.Add(FieldError.Invalid(FieldPath.Child(path, "maxReplicas"), maxReplicas, "must be greater than 0"));
        }
        if (minReplicas is { } min && maxReplicas < min)
        {
            errs.Add(FieldError.Invalid(FieldPath.Child(path, "maxReplicas"), maxReplicas, "must be greater than or equal to `minReplicas`"));
        }
        ValidateObjectReference(spec["scaleTargetRef"] as JsonObject ?? [], FieldPath.Child(path, "scaleTargetRef"), errs);
        foreach (var (i, metric) in JsonFields.Objects(spec["metrics"] as JsonArray))
        {
            MetricSpecValidation.Validate(metric, FieldPath.Index(FieldPath.Child(path, "metrics"), i), errs);
        }
        if (spec["behavior"] is JsonObject behavior)
        {
            var behaviorPath = FieldPath.Child(path, "behavior");
            foreach (var direction in (string[])["scaleUp", "scaleDown"])
            {
                if (behavior[direction] is JsonObject rules)
                {
                    ValidateRules(rules, FieldPath.Child(behaviorPath, direction), errs);
                }
            }
        }
    }

    /// <summary>ValidateCrossVersionObjectReference: kind and name required, each a valid path segment.</summary>
    public static void ValidateObjectReference(JsonObject reference, string path, List<FieldError> errs)
    {
        foreach (var field in (string[])["kind", "name"])
        {
            var value = JsonFields.AsString(reference[field]) ?? "";
            if (value.Length == 0)
            {
                errs.Add(FieldError.Required(FieldPath.Child(path, field)));
                continue;
            }
            foreach (var msg in RbacValidation.PathSegmentName(value, false))
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(path, field), value, msg));
            }
        }
    }

    private static void ValidateRules(JsonObject rules, string path, List<FieldError> errs)
    {
        var windowPath = FieldPath.Child(path, "stabilizationWindowSeconds");
        if (JsonFields.AsLong(rules["stabilizationWindowSeconds"]) is { } window)
        {
            if (window < 0)
            {
                errs.Add(FieldError.Invalid(windowPath, window, "must be greater than or equal to zero"));
            }
            if (window > MaxStabilizationWindowSeconds)
            {
                errs.Add(FieldError.Invalid(windowPath, window, $"must be less than or equal to {MaxStabilizationWindowSeconds}"));
            }
        }
        if (JsonFields.AsString(rules["selectPolicy"]) is { } select && !SelectPolicies.Contains(select))
        {
            errs.Add(FieldError.NotSupported(FieldPath.Child(path, "selectPolicy"), select, SelectPolicies));
        }
        var policiesPath = FieldPath.Child(path, "policies");
        if (rules["policies"] is not JsonArray { Count: > 0 })
        {
            errs.Add(FieldError.Required(policiesPath, "must specify at least one Policy"));
        }
        foreach (var (i, policy) in JsonFields.Objects(rules["policies"] as JsonArray))
        {
            ValidatePolicy(policy, FieldPath.Index(policiesPath, i), errs);
        }
    }

    private static void ValidatePolicy(JsonObject policy, string path, List<FieldError> errs)
    {
        var type = JsonFields.AsString(policy["type"]) ?? "";
        if (!PolicyTypes.Contains(type))
        {
            errs.Add(FieldError.NotSupported(FieldPath.Child(path, "type"), type, PolicyTypes));
        }
        if ((JsonFields.AsLong(policy["value"]) ?? 0) is <= 0 and var value)
        {
            errs.Add(FieldError.Invalid(FieldPath.Child(path, "value"), value, "must be greater than zero"));
        }
        var period = JsonFields.AsLong(policy["periodSeconds"]) ?? 0;
        if (period <= 0)
        {
            errs.Add(FieldError.Invalid(FieldPath.Child(path, "periodSeconds"), period, "must be greater than zero"));
        }
        if (period > MaxPeriodSeconds)
        {
            errs.Add(FieldError.Invalid(FieldPath.Child(path, "periodSeconds"), period, $"must be less than or equal to {MaxPeriodSeconds}"));
        }
    }
}
