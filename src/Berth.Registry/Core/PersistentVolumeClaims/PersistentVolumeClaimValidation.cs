using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Core.PersistentVolumes;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.PersistentVolumeClaims;

/// <summary>
/// PersistentVolumeClaim spec validation (also used for StatefulSet volumeClaimTemplates) and the update rule that a
/// claim's spec is fixed once created, except that the binder sets <c>volumeName</c> once, a missing class may be
/// set, and a bound claim may grow <c>resources.requests.storage</c>. Stateless.
/// Mirrors pkg/apis/core/validation (ValidatePersistentVolumeClaimSpec, ValidatePersistentVolumeClaimUpdate).
/// </summary>
public static class PersistentVolumeClaimValidation
{
    public const string SpecImmutableMessage =
        "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims";

    private static readonly string[] VolumeModes = ["Block", "Filesystem"];

    /// <summary>Appends the errors of a claim spec found at <paramref name="path"/>.</summary>
    public static void ValidateSpec(JsonObject spec, string path, List<FieldError> errs)
    {
        VolumeAccessModes.Validate(spec["accessModes"] as JsonArray, FieldPath.Child(path, "accessModes"), "at least 1 access mode is required", errs);
        LabelSelectors.Validate(spec["selector"] as JsonObject, FieldPath.Child(path, "selector"), errs);
        var storagePath = FieldPath.Key(FieldPath.Child(path, "resources"), "storage");
        var storage = (spec["resources"] as JsonObject)?["requests"] is JsonObject requests ? requests["storage"] : null;
        if (storage is null)
        {
            errs.Add(FieldError.Required(storagePath));
        }
        else if (QuantityValidation.TryParse(storage) is not { } value)
        {
            errs.Add(FieldError.Invalid(storagePath, QuantityValidation.Text(storage) ?? storage.ToJsonString(), QuantityValidation.FormatError));
        }
        else if (value <= 0)
        {
            errs.Add(FieldError.Invalid(storagePath, QuantityValidation.Text(storage), "must be greater than zero"));
        }
        if (JsonFields.AsString(spec["storageClassName"]) is { Length: > 0 } className)
        {
            foreach (var msg in NameValidation.IsDns1123Subdomain(className))
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(path, "storageClassName"), className, msg));
            }
        }
        if (JsonFields.AsString(spec["volumeMode"]) is { } mode && !VolumeModes.Contains(mode))
        {
            errs.Add(FieldError.NotSupported(FieldPath.Child(path, "volumeMode"), mode, VolumeModes));
        }
    }

    /// <summary>Appends the immutability errors of a claim update.</summary>
    public static void ValidateSpecUpdate(JsonObject newObj, JsonObject oldObj, List<FieldError> errs)
    {
        var newSpec = (newObj["spec"] as JsonObject)?.DeepClone() as JsonObject ?? [];
        var oldSpec = (oldObj["spec"] as JsonObject)?.DeepClone() as JsonObject ?? [];
        if (string.IsNullOrEmpty(JsonFields.AsString(oldSpec["volumeName"])))
        {
            oldSpec["volumeName"] = newSpec["volumeName"]?.DeepClone();
        }
        if (oldSpec["storageClassName"] is null)
        {
            oldSpec["storageClassName"] = newSpec["storageClassName"]?.DeepClone();
        }
        var bound = JsonFields.AsString((newObj["status"] as JsonObject)?["phase"]) == "Bound";
        var oldStorage = StorageRequest(oldSpec);
        var newStorage = StorageRequest(newSpec);
        if (bound && newSpec["resources"] is JsonObject { } resources && resources["requests"] is JsonObject requests)
        {
            requests["storage"] = oldStorage?.DeepClone();
        }
        if (!JsonSemantics.Equal(newSpec, oldSpec))
        {
            // Upstream appends a diff of the two specs; ours lists the changed fields, as for pods (JsonDiff).
            errs.Add(FieldError.Forbidden("spec", SpecImmutableMessage + "\n" + JsonDiff.Describe(oldSpec, newSpec, "spec", maxLines: 10)));
        }
        else if (bound && QuantityValidation.TryParse(newStorage) < QuantityValidation.TryParse(oldStorage))
        {
            errs.Add(FieldError.Forbidden("spec.resources.requests.storage", "field can not be less than previous value"));
        }
    }

    private static JsonNode? StorageRequest(JsonObject spec) => ((spec["resources"] as JsonObject)?["requests"] as JsonObject)?["storage"];
}
