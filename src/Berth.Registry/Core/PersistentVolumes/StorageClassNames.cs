using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Serialization;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.PersistentVolumes;

/// <summary>
/// The storage class of a claim or volume: the beta annotation <c>volume.beta.kubernetes.io/storage-class</c> wins
/// over <c>spec.storageClassName</c>, and an absent class is <c>""</c>. Also validates a class name (a DNS subdomain).
/// Mirrors pkg/apis/core/helper (GetPersistentVolumeClass, GetPersistentVolumeClaimClass) and ValidateClassName.
/// </summary>
public static class StorageClassNames
{
    public const string BetaAnnotation = "volume.beta.kubernetes.io/storage-class";

    /// <summary>The class of <paramref name="obj"/> (a PersistentVolume or PersistentVolumeClaim); <c>""</c> for none.</summary>
    public static string Of(JsonObject obj) =>
        obj.GetString("metadata", "annotations", BetaAnnotation)
        ?? obj.GetString("spec", "storageClassName") ?? "";

    /// <summary>Appends an error when <c>spec.storageClassName</c> is set and not a DNS subdomain.</summary>
    public static void Validate(JsonObject spec, List<FieldError> errs)
    {
        if (JsonFields.AsString(spec["storageClassName"]) is { Length: > 0 } name)
        {
            foreach (var msg in NameValidation.IsDns1123Subdomain(name))
            {
                errs.Add(FieldError.Invalid("spec.storageClassName", name, msg));
            }
        }
    }
}
