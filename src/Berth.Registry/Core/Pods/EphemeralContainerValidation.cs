using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Pods;

/// <summary>
/// <c>spec.ephemeralContainers</c> of a pod: the common container rules, a name unique across containers, init
/// containers and ephemeral containers, a <c>targetContainerName</c> naming a regular or init container, none of the
/// fields ephemeral containers may not have (ports, resources, probes, lifecycle, restart and resize policies), and
/// no subPath mounts. Expects defaults applied; pure. Mirrors kubernetes/kubernetes pkg/apis/core/validation
/// (validateEphemeralContainers, allowedEphemeralContainerFields).
/// </summary>
internal static class EphemeralContainerValidation
{
    public const string NotForEphemeral = "cannot be set for an Ephemeral Container";

    // Pointer and slice fields upstream forbids when set; resources (a struct) is only forbidden when non-empty.
    private static readonly string[] ForbiddenWhenSet =
        ["ports", "resizePolicy", "restartPolicy", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle"];

    public static void Validate(JsonObject spec, string path, List<FieldError> errs)
    {
        if (spec["ephemeralContainers"] is not JsonArray { Count: > 0 } ephemeral)
        {
            return;
        }
        var volumes = VolumeValidation.ValidateVolumes(spec["volumes"] as JsonArray, FieldPath.Child(path, "volumes"), []);
        var others = new HashSet<string>(StringComparer.Ordinal);
        foreach (var list in (string[])["containers", "initContainers"])
        {
            foreach (var (_, c) in JsonFields.Objects(spec[list] as JsonArray))
            {
                others.Add(JsonFields.AsString(c["name"]) ?? "");
            }
        }
        var all = new HashSet<string>(others, StringComparer.Ordinal);
        var listPath = FieldPath.Child(path, "ephemeralContainers");
        foreach (var (i, c) in JsonFields.Objects(ephemeral))
        {
            var idx = FieldPath.Index(listPath, i);
            ContainerValidation.ValidateCommon(c, volumes, idx, errs);
            var name = JsonFields.AsString(c["name"]) ?? "";
            if (!all.Add(name))
            {
                errs.Add(FieldError.Duplicate(FieldPath.Child(idx, "name"), name));
            }
            if (JsonFields.AsString(c["targetContainerName"]) is { Length: > 0 } target && !others.Contains(target))
            {
                errs.Add(new FieldError(CauseType.FieldValueNotFound, FieldPath.Child(idx, "targetContainerName"), "", "\"" + target + "\""));
            }
            ValidateAllowedFields(c, idx, errs);
        }
    }

    private static void ValidateAllowedFields(JsonObject c, string idx, List<FieldError> errs)
    {
        if (!JsonSemantics.IsZero(c["resources"]))
        {
            errs.Add(FieldError.Forbidden(FieldPath.Child(idx, "resources"), NotForEphemeral));
        }
        foreach (var field in ForbiddenWhenSet.Where(f => c[f] is not null))
        {
            errs.Add(FieldError.Forbidden(FieldPath.Child(idx, field), NotForEphemeral));
        }
        foreach (var (m, mount) in JsonFields.Objects(c["volumeMounts"] as JsonArray))
        {
            foreach (var field in (string[])["subPath", "subPathExpr"])
            {
                if (!string.IsNullOrEmpty(JsonFields.AsString(mount[field])))
                {
                    errs.Add(FieldError.Forbidden(FieldPath.Child(FieldPath.Index(FieldPath.Child(idx, "volumeMounts"), m), field), NotForEphemeral));
                }
            }
        }
    }
}
