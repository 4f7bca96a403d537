using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Pods;

/// <summary>
/// A pod spec, for pods (<c>spec</c>) and pod templates (<c>spec.template.spec</c>): volumes, containers, init
/// containers, policies, node and service-account names, deadlines and tolerations. Expects defaults applied.
/// Mirrors kubernetes/kubernetes pkg/apis/core/validation (ValidatePodSpec, validateRestartPolicy,
/// validateDNSPolicy).
/// </summary>
internal static class PodSpecValidation
{
    private static readonly string[] RestartPolicies = ["Always", "OnFailure", "Never"];
    private static readonly string[] DnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];

    public static void Validate(JsonObject spec, string path, List<FieldError> errs)
    {
        var volumes = VolumeValidation.ValidateVolumes(spec["volumes"] as JsonArray, FieldPath.Child(path, "volumes"), errs);
        var grace = JsonFields.AsLong(spec["terminationGracePeriodSeconds"]);
        var names = ContainerValidation.ValidateContainers(spec["containers"] as JsonArray, volumes, grace, FieldPath.Child(path, "containers"), errs);
        ContainerValidation.ValidateInitContainers(spec["initContainers"] as JsonArray, names, volumes, grace, FieldPath.Child(path, "initContainers"), errs);
        ValidateEnum(spec, "restartPolicy", RestartPolicies, path, errs);
        ValidateEnum(spec, "dnsPolicy", DnsPolicies, path, errs);
        LabelValidation.ValidateLabels(spec["nodeSelector"] as JsonObject, FieldPath.Child(path, "nodeSelector"), errs);
        ValidateDnsName(spec, "serviceAccountName", path, errs);
        ValidateDnsName(spec, "nodeName", path, errs);
        if (grace is < 0)
        {
            errs.Add(FieldError.Invalid(FieldPath.Child(path, "terminationGracePeriodSeconds"), grace, ValidationMessages.IsNegativeError));
        }
        if (JsonFields.AsLong(spec["activeDeadlineSeconds"]) is { } deadline && deadline is < 1 or > int.MaxValue)
        {
            errs.Add(FieldError.Invalid(FieldPath.Child(path, "activeDeadlineSeconds"), deadline, ValidationMessages.InclusiveRangeError(1, int.MaxValue)));
        }
        TolerationValidation.Validate(spec["tolerations"] as JsonArray, FieldPath.Child(path, "tolerations"), errs);
    }

    private static void ValidateEnum(JsonObject spec, string field, string[] supported, string path, List<FieldError> errs)
    {
        var value = JsonFields.AsString(spec[field]) ?? "";
        if (value.Length == 0)
        {
            errs.Add(FieldError.Required(FieldPath.Child(path, field)));
        }
        else if (!supported.Contains(value))
        {
            errs.Add(FieldError.NotSupported(FieldPath.Child(path, field), value, supported));
        }
    }

    private static void ValidateDnsName(JsonObject spec, string field, string path, List<FieldError> errs)
    {
        var value = JsonFields.AsString(spec[field]) ?? "";
        if (value.Length == 0)
        {
            return;
        }
        foreach (var msg in NameValidation.NameIsDnsSubdomain(value, false))
        {
            errs.Add(FieldError.Invalid(FieldPath.Child(path, field), value, msg));
        }
    }
}
