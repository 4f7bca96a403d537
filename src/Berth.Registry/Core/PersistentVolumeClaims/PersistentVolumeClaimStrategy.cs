using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.PersistentVolumeClaims;

/// <summary>
/// PersistentVolumeClaims (core/v1, namespaced, status subresource): a new claim starts <c>Pending</c>;
/// <c>volumeMode</c> defaults to <c>Filesystem</c>; spec rules in <see cref="PersistentVolumeClaimValidation"/>.
/// Stateless and thread-safe. Mirrors pkg/registry/core/persistentvolumeclaim/strategy.go and
/// SetDefaults_PersistentVolumeClaim(Spec).
/// </summary>
internal sealed class PersistentVolumeClaimStrategy() : ResourceStrategy(KindRegistry.PersistentVolumeClaims)
{
    public override void PrepareForCreate(JsonObject obj)
    {
        base.PrepareForCreate(obj);
        obj["status"] = new JsonObject { ["phase"] = "Pending" };
    }

    public override void Default(JsonObject obj)
    {
        JsonFields.SetDefaultString(JsonFields.Child(obj, "spec"), "volumeMode", "Filesystem");
        JsonFields.SetDefaultString(JsonFields.Child(obj, "status"), "phase", "Pending");
    }

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        PersistentVolumeClaimValidation.ValidateSpec(obj["spec"] as JsonObject ?? [], "spec", errs);
        return errs;
    }

    public override IReadOnlyList<FieldError> ValidateUpdate(JsonObject newObj, JsonObject oldObj)
    {
        var errs = new List<FieldError>(base.ValidateUpdate(newObj, oldObj));
        PersistentVolumeClaimValidation.ValidateSpecUpdate(newObj, oldObj, errs);
        return errs;
    }

    /// <summary>Besides metadata, the legacy field <c>name</c> (upstream PersistentVolumeClaimToSelectableFields).</summary>
    public override string? GetSelectableField(JsonObject obj, string field) =>
        field == "name" ? base.GetSelectableField(obj, "metadata.name") : base.GetSelectableField(obj, field);
}
