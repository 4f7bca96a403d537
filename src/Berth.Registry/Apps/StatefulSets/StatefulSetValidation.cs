using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Validation;

namespace Berth.Registry.Apps.StatefulSets;

/// <summary>
/// A StatefulSet spec and the fields an update may change. Mirrors kubernetes/kubernetes
/// pkg/apis/apps/validation (ValidateStatefulSetSpec, ValidateStatefulSetUpdate).
/// </summary>
internal static class StatefulSetValidation
{
    public const string ForbiddenUpdateMessage =
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', " +
        "'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

    private static readonly string[] Updatable =
        ["replicas", "ordinals", "template", "updateStrategy", "revisionHistoryLimit", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"];

    private static readonly string[] RetentionPolicies = ["Retain", "Delete"];

    public static void Validate(JsonObject spec, List<FieldError> errs)
    {
        var policy = JsonFields.AsString(spec["podManagementPolicy"]) ?? "";
        if (policy.Length == 0)
        {
            errs.Add(FieldError.Required("spec.podManagementPolicy"));
        }
        else if (policy is not ("OrderedReady" or "Parallel"))
        {
            errs.Add(FieldError.NotSupported("spec.podManagementPolicy", policy, ["OrderedReady", "Parallel"]));
        }
        ValidateUpdateStrategy(spec["updateStrategy"] as JsonObject ?? [], errs);
        foreach (var field in (string[])["whenDeleted", "whenScaled"])
        {
            var value = JsonFields.AsString((spec["persistentVolumeClaimRetentionPolicy"] as JsonObject)?[field]);
            if (value is not null && !RetentionPolicies.Contains(value))
            {
                errs.Add(FieldError.NotSupported("spec.persistentVolumeClaimRetentionPolicy." + field, value, RetentionPolicies));
            }
        }
        WorkloadValidation.ValidateNonNegative(spec, "replicas", errs);
        WorkloadValidation.ValidateNonNegative(spec, "minReadySeconds", errs);
        WorkloadValidation.ValidateSelectorAndTemplate(WithClaimVolumes(spec), "statefulset", "StatefulSet", errs);
    }

    /// <summary>
    /// The spec with a claim volume appended to the pod template per <c>volumeClaimTemplates</c> entry not already a
    /// volume, so that volumeMounts naming a claim template validate (upstream validates the template's volumes
    /// alone and leaves this union as an open item; the controller adds the same volumes to every pod).
    /// </summary>
    private static JsonObject WithClaimVolumes(JsonObject spec)
    {
        if (spec["volumeClaimTemplates"] is not JsonArray { Count: > 0 } templates || spec["template"] is not JsonObject)
        {
            return spec;
        }
        var copy = spec.DeepClone().AsObject();
        var podSpec = JsonFields.Child(JsonFields.Child(copy, "template"), "spec");
        if (podSpec["volumes"] is not JsonArray volumes)
        {
            podSpec["volumes"] = volumes = [];
        }
        var names = volumes.OfType<JsonObject>().Select(v => JsonFields.AsString(v["name"])).ToHashSet();
        foreach (var (_, template) in JsonFields.Objects(templates))
        {
            if (JsonFields.AsString((template["metadata"] as JsonObject)?["name"]) is { Length: > 0 } name && names.Add(name))
            {
                volumes.Add(new JsonObject { ["name"] = name, ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = name } });
            }
        }
        return copy;
    }

    /// <summary>Only <see cref="Updatable"/> spec fields may change.</summary>
    public static void ValidateUpdate(JsonObject spec, JsonObject oldSpec, List<FieldError> errs)
    {
        var munged = spec.DeepClone().AsObject();
        foreach (var field in Updatable)
        {
            munged[field] = oldSpec[field]?.DeepClone();
        }
        if (!JsonSemantics.Equal(munged, oldSpec))
        {
            errs.Add(FieldError.Forbidden("spec", ForbiddenUpdateMessage));
        }
    }

    private static void ValidateUpdateStrategy(JsonObject strategy, List<FieldError> errs)
    {
        var type = JsonFields.AsString(strategy["type"]) ?? "";
        switch (type)
        {
            case "":
                errs.Add(FieldError.Required("spec.updateStrategy"));
                break;
            case "OnDelete" when strategy["rollingUpdate"] is not null:
                errs.Add(new FieldError(CauseType.FieldValueInvalid, "spec.updateStrategy.rollingUpdate",
                    "only allowed for updateStrategy 'RollingUpdate'", strategy["rollingUpdate"]!.ToJsonString()));
                break;
            case "OnDelete":
                break;
            case "RollingUpdate":
                if (JsonFields.AsLong(strategy["rollingUpdate"]?["partition"]) is < 0 and var partition)
                {
                    errs.Add(FieldError.Invalid("spec.updateStrategy.rollingUpdate.partition", partition, ValidationMessages.IsNegativeError));
                }
                break;
            default:
                errs.Add(FieldError.Invalid("spec.updateStrategy", type,
                    "must be 'RollingUpdate' or 'OnDelete'"));
                break;
        }
    }
}
