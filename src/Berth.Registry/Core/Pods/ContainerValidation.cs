using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Pods;

/// <summary>
/// Regular and init containers: names (DNS label, unique across both lists), image, ports, env, mounts,
/// resources, policies, probes and lifecycle hooks. Mirrors kubernetes/kubernetes pkg/apis/core/validation
/// (validateContainers, validateInitContainers, validateContainerCommon).
/// </summary>
internal static class ContainerValidation
{
    private static readonly string[] PullPolicies = ["Always", "IfNotPresent", "Never"];
    private static readonly string[] MessagePolicies = ["File", "FallbackToLogsOnError"];
    private const string InitOnlyWithAlways = "may not be set for init containers without restartPolicy=Always";

    /// <summary>Regular containers; returns their names so init containers can be checked against them.</summary>
    public static HashSet<string> ValidateContainers(JsonArray? containers, HashSet<string> volumes, long? gracePeriod, string path, List<FieldError> errs)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (containers is not { Count: > 0 })
        {
            errs.Add(FieldError.Required(path));
            return names;
        }
        foreach (var (i, c) in JsonFields.Objects(containers))
        {
            var idx = FieldPath.Index(path, i);
            ValidateCommon(c, volumes, idx, errs);
            var name = JsonFields.AsString(c["name"]) ?? "";
            if (name.Length > 0 && !names.Add(name))
            {
                errs.Add(FieldError.Duplicate(FieldPath.Child(idx, "name"), name));
            }
            ValidateHooksAndProbes(c, gracePeriod, idx, errs);
            if (c["restartPolicy"] is not null)
            {
                errs.Add(FieldError.Forbidden(FieldPath.Child(idx, "restartPolicy"), "may not be set for non-init containers"));
            }
        }
        return names;
    }

    public static void ValidateInitContainers(JsonArray? containers, HashSet<string> otherNames, HashSet<string> volumes, long? gracePeriod, string path, List<FieldError> errs)
    {
        var names = new HashSet<string>(otherNames, StringComparer.Ordinal);
        foreach (var (i, c) in JsonFields.Objects(containers))
        {
            var idx = FieldPath.Index(path, i);
            ValidateCommon(c, volumes, idx, errs);
            var restartPolicy = JsonFields.AsString(c["restartPolicy"]);
            if (c["restartPolicy"] is not null && restartPolicy != "Always")
            {
                errs.Add(FieldError.NotSupported(FieldPath.Child(idx, "restartPolicy"), restartPolicy ?? "", ["Always"]));
            }
            var name = JsonFields.AsString(c["name"]) ?? "";
            if (names.Contains(name))
            {
                errs.Add(FieldError.Duplicate(FieldPath.Child(idx, "name"), name));
            }
            else if (name.Length > 0)
            {
                names.Add(name);
            }
            if (restartPolicy == "Always")
            {
                ValidateHooksAndProbes(c, gracePeriod, idx, errs);
                continue;
            }
            foreach (var field in (string[])["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"])
            {
                if (c[field] is not null)
                {
                    errs.Add(FieldError.Forbidden(FieldPath.Child(idx, field), InitOnlyWithAlways));
                }
            }
        }
    }

    /// <summary>What every kind of container must satisfy (validateContainerCommon); ephemeral containers use it too.</summary>
    internal static void ValidateCommon(JsonObject c, HashSet<string> volumes, string idx, List<FieldError> errs)
    {
        var name = JsonFields.AsString(c["name"]) ?? "";
        if (name.Length == 0)
        {
            errs.Add(FieldError.Required(FieldPath.Child(idx, "name")));
        }
        else
        {
            foreach (var msg in NameValidation.IsDns1123Label(name))
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(idx, "name"), name, msg));
            }
        }
        if (string.IsNullOrEmpty(JsonFields.AsString(c["image"])))
        {
            errs.Add(FieldError.Required(FieldPath.Child(idx, "image")));
        }
        PortValidation.ValidateContainerPorts(c["ports"] as JsonArray, FieldPath.Child(idx, "ports"), errs);
        EnvValidation.Validate(c["env"] as JsonArray, FieldPath.Child(idx, "env"), errs);
        VolumeValidation.ValidateVolumeMounts(c["volumeMounts"] as JsonArray, volumes, FieldPath.Child(idx, "volumeMounts"), errs);
        ResourceRequirementsValidation.Validate(c["resources"] as JsonObject, FieldPath.Child(idx, "resources"), errs);
        ValidateEnum(c, "terminationMessagePolicy", MessagePolicies, idx, errs);
        ValidateEnum(c, "imagePullPolicy", PullPolicies, idx, errs);
    }

    private static void ValidateHooksAndProbes(JsonObject c, long? gracePeriod, string idx, List<FieldError> errs)
    {
        HandlerValidation.ValidateLifecycle(c["lifecycle"] as JsonObject, gracePeriod, FieldPath.Child(idx, "lifecycle"), errs);
        foreach (var probe in (string[])["livenessProbe", "readinessProbe", "startupProbe"])
        {
            if (c[probe] is not JsonObject p)
            {
                continue;
            }
            var probePath = FieldPath.Child(idx, probe);
            HandlerValidation.ValidateProbe(p, probePath, errs);
            if (probe != "readinessProbe" && JsonFields.AsLong(p["successThreshold"]) is { } st && st != 1)
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(probePath, "successThreshold"), st, "must be 1"));
            }
            if (probe == "readinessProbe" && p["terminationGracePeriodSeconds"] is { } tg)
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(probePath, "terminationGracePeriodSeconds"), JsonFields.AsLong(tg), "must not be set for readinessProbes"));
            }
        }
    }

    private static void ValidateEnum(JsonObject c, string field, string[] supported, string idx, List<FieldError> errs)
    {
        var value = JsonFields.AsString(c[field]) ?? "";
        if (value.Length == 0)
        {
            errs.Add(FieldError.Required(FieldPath.Child(idx, field)));
        }
        else if (!supported.Contains(value))
        {
            errs.Add(FieldError.NotSupported(FieldPath.Child(idx, field), value, supported));
        }
    }
}
