using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Core.PersistentVolumes;

namespace Berth.Registry.Storage;

/// <summary>
/// The storage admission steps of a create, run by the API server before the strategy:
/// DefaultStorageClass (a claim that names no class, neither in <c>spec.storageClassName</c> nor in the beta
/// annotation, gets the default StorageClass; among several defaults the newest wins, then the smaller name) and
/// StorageObjectInUseProtection (claims get <see cref="PvcProtectionFinalizer"/>, volumes
/// <see cref="PvProtectionFinalizer"/>). Stateless; thread-safe.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes plugin/pkg/admission/storage/storageclass/setdefault (Admit; GetDefaultClass in
/// pkg/volume/util) and plugin/pkg/admission/storage/storageobjectinuseprotection.
/// </remarks>
public static class StorageAdmission
{
    public const string PvcProtectionFinalizer = "kubernetes.io/pvc-protection";
    public const string PvProtectionFinalizer = "kubernetes.io/pv-protection";
    public const string DefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";
    public const string BetaDefaultClassAnnotation = "storageclass.beta.kubernetes.io/is-default-class";

    /// <summary>True for the kinds <see cref="AdmitAsync"/> changes.</summary>
    public static bool Applies(ResourceKind kind) => kind == KindRegistry.PersistentVolumeClaims || kind == KindRegistry.PersistentVolumes;

    /// <summary>Mutates <paramref name="obj"/> (storage form, before defaulting) as described above.</summary>
    public static async Task AdmitAsync(IApiClient api, ResourceKind kind, JsonObject obj, CancellationToken cancellationToken)
    {
        if (kind == KindRegistry.PersistentVolumes)
        {
            AddFinalizer(obj, PvProtectionFinalizer);
            return;
        }
        AddFinalizer(obj, PvcProtectionFinalizer);
        var spec = obj["spec"] as JsonObject;
        if (spec is null || spec["storageClassName"] is not null || obj.GetString("metadata", "annotations", StorageClassNames.BetaAnnotation) is not null)
        {
            return;
        }
        var classes = await api.ListAsync(KindRegistry.StorageClasses, null, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (DefaultClass(classes.Items) is { } name)
        {
            spec["storageClassName"] = name;
        }
    }

    /// <summary>The default class among <paramref name="classes"/>: newest creation time first, then name; null when none.</summary>
    public static string? DefaultClass(IEnumerable<JsonObject> classes) =>
        classes.Where(IsDefault)
            .OrderByDescending(c => c.GetString("metadata", "creationTimestamp") ?? "", StringComparer.Ordinal)
            .ThenBy(c => c.GetName(), StringComparer.Ordinal)
            .Select(c => c.GetName())
            .FirstOrDefault();

    /// <summary>True when the class carries the (beta) default annotation with value <c>true</c>.</summary>
    public static bool IsDefault(JsonObject storageClass) =>
        storageClass.GetString("metadata", "annotations", DefaultClassAnnotation) == "true"
        || storageClass.GetString("metadata", "annotations", BetaDefaultClassAnnotation) == "true";

    /// <summary>Adds <paramref name="finalizer"/> to <c>metadata.finalizers</c> unless present; returns whether it changed.</summary>
    public static bool AddFinalizer(JsonObject obj, string finalizer)
    {
        var metadata = obj.Metadata();
        if (metadata["finalizers"] is not JsonArray finalizers)
        {
            metadata["finalizers"] = finalizers = [];
        }
        if (finalizers.Any(f => Validation.JsonFields.AsString(f) == finalizer))
        {
            return false;
        }
        finalizers.Add(finalizer);
        return true;
    }
}
