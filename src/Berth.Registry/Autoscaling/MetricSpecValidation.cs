using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Rbac;
using Berth.Registry.Validation;

namespace Berth.Registry.Autoscaling;

/// <summary>
/// One HPA metric's validation: a known type whose source (and only it) is populated, each source's identifier and
/// target as upstream checks them. All five source types are validated and stored; the controller computes only
/// Resource and ContainerResource metrics. Pure. Mirrors kubernetes/kubernetes
/// pkg/apis/autoscaling/validation/validation.go (validateMetricSpec, validate*Source, validateMetricTarget,
/// validateMetricIdentifier).
/// </summary>
internal static class MetricSpecValidation
{
    /// <summary>Metric types and the field holding each one's source, in upstream's sorted order.</summary>
    private static readonly (string Type, string Field)[] Sources =
    [
        ("ContainerResource", "containerResource"), ("External", "external"), ("Object", "object"), ("Pods", "pods"), ("Resource", "resource"),
    ];

    private static readonly string[] Types = [.. Sources.Select(s => s.Type)];

    public static void Validate(JsonObject metric, string path, List<FieldError> errs)
    {
        var type = JsonFields.AsString(metric["type"]) ?? "";
        if (type.Length == 0)
        {
            errs.Add(FieldError.Required(FieldPath.Child(path, "type"), "must specify a metric source type"));
        }
        else if (!Types.Contains(type))
        {
            errs.Add(FieldError.NotSupported(FieldPath.Child(path, "type"), type, Types));
        }
        var present = Sources.Where(s => metric[s.Field] is JsonObject).Select(s => s.Field).ToList();
        if (present.Count == 1)
        {
            ValidateSource(present[0], (JsonObject)metric[present[0]]!, FieldPath.Child(path, present[0]), errs);
        }
        var expected = Sources.FirstOrDefault(s => s.Type == type).Field;
        if (expected is not null && metric[expected] is not JsonObject)
        {
            errs.Add(FieldError.Required(FieldPath.Child(path, expected), "must populate information for the given metric source"));
        }
        if (present.Count != 1)
        {
            foreach (var field in present.Where(f => f != expected))
            {
                errs.Add(FieldError.Forbidden(FieldPath.Child(path, field), "must populate the given metric source only"));
            }
        }
    }

    private static void ValidateSource(string field, JsonObject source, string path, List<FieldError> errs)
    {
        var target = source["target"] as JsonObject ?? [];
        var targetPath = FieldPath.Child(path, "target");
        switch (field)
        {
            case "resource" or "containerResource":
                ValidateResourceSource(source, path, field == "containerResource", errs);
                break;
            case "pods":
                ValidateIdentifier(source["metric"] as JsonObject ?? [], FieldPath.Child(path, "metric"), errs);
                ValidateTarget(target, targetPath, errs);
                if (target["averageValue"] is null)
                {
                    errs.Add(FieldError.Required(FieldPath.Child(targetPath, "averageValue"), "must specify a positive target averageValue"));
                }
                break;
            case "object":
                HorizontalPodAutoscalerValidation.ValidateObjectReference(source["describedObject"] as JsonObject ?? [], FieldPath.Child(path, "describedObject"), errs);
                ValidateIdentifier(source["metric"] as JsonObject ?? [], FieldPath.Child(path, "metric"), errs);
                ValidateTarget(target, targetPath, errs);
                if (target["value"] is null && target["averageValue"] is null)
                {
                    errs.Add(FieldError.Required(FieldPath.Child(targetPath, "averageValue"), "must set either a target value or averageValue"));
                }
                break;
            default:
                ValidateIdentifier(source["metric"] as JsonObject ?? [], FieldPath.Child(path, "metric"), errs);
                ValidateTarget(target, targetPath, errs);
                if (target["value"] is null && target["averageValue"] is null)
                {
                    errs.Add(FieldError.Required(FieldPath.Child(targetPath, "averageValue"), "must set either a target value for metric or a per-pod target"));
                }
                if (target["value"] is not null && target["averageValue"] is not null)
                {
                    errs.Add(FieldError.Forbidden(FieldPath.Child(targetPath, "value"), "may not set both a target value for metric and a per-pod target"));
                }
                break;
        }
    }

    /// <summary>validateResourceSource / validateContainerResourceSource: a resource name, a target of exactly one kind.</summary>
    private static void ValidateResourceSource(JsonObject source, string path, bool perContainer, List<FieldError> errs)
    {
        var name = JsonFields.AsString(source["name"]) ?? "";
        if (name.Length == 0)
        {
            errs.Add(FieldError.Required(FieldPath.Child(path, "name"), "must specify a resource name"));
        }
        else
        {
            foreach (var msg in QualifiedNameValidation.IsQualifiedName(name))
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(path, "name"), name, msg));
            }
        }
        if (perContainer)
        {
            var container = JsonFields.AsString(source["container"]) ?? "";
            if (container.Length == 0)
            {
                errs.Add(FieldError.Required(FieldPath.Child(path, "container"), "must specify a container"));
            }
            foreach (var msg in container.Length == 0 ? [] : NameValidation.IsDns1123Label(container))
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(path, "container"), container, msg));
            }
        }
        var target = source["target"] as JsonObject ?? [];
        var targetPath = FieldPath.Child(path, "target");
        ValidateTarget(target, targetPath, errs);
        if (target["averageUtilization"] is null && target["averageValue"] is null)
        {
            errs.Add(FieldError.Required(FieldPath.Child(targetPath, "averageUtilization"), "must set either a target raw value or a target utilization"));
        }
        if (target["averageUtilization"] is not null && target["averageValue"] is not null)
        {
            errs.Add(FieldError.Forbidden(FieldPath.Child(targetPath, "averageValue"), "may not set both a target raw value and a target utilization"));
        }
    }

    /// <summary>validateMetricTarget: a known type, positive values, a utilization above 0.</summary>
    private static void ValidateTarget(JsonObject target, string path, List<FieldError> errs)
    {
        var type = JsonFields.AsString(target["type"]) ?? "";
        if (type.Length == 0)
        {
            errs.Add(FieldError.Required(FieldPath.Child(path, "type"), "must specify a metric target type"));
        }
        if (type is not ("Utilization" or "Value" or "AverageValue"))
        {
            errs.Add(FieldError.Invalid(FieldPath.Child(path, "type"), type, "must be either Utilization, Value, or AverageValue"));
        }
        foreach (var field in (string[])["value", "averageValue"])
        {
            if (target[field] is { } quantity && !(QuantityValidation.TryParse(quantity) > 0))
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(path, field), QuantityValidation.Text(quantity) ?? quantity.ToJsonString(), "must be positive"));
            }
        }
        if (target["averageUtilization"] is { } utilization && !(JsonFields.AsLong(utilization) >= 1))
        {
            errs.Add(FieldError.Invalid(FieldPath.Child(path, "averageUtilization"), JsonFields.AsLong(utilization), "must be greater than 0"));
        }
    }

    /// <summary>validateMetricIdentifier: a name that is a valid path segment and a valid selector.</summary>
    private static void ValidateIdentifier(JsonObject metric, string path, List<FieldError> errs)
    {
        var name = JsonFields.AsString(metric["name"]) ?? "";
        if (name.Length == 0)
        {
            errs.Add(FieldError.Required(FieldPath.Child(path, "name"), "must specify a metric name"));
        }
        else
        {
            foreach (var msg in RbacValidation.PathSegmentName(name, false))
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(path, "name"), name, msg));
            }
        }
        LabelSelectors.Validate(metric["selector"] as JsonObject, FieldPath.Child(path, "selector"), errs);
    }
}
