using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.PersistentVolumes;

/// <summary>
/// PersistentVolumes (core/v1, cluster-scoped, status subresource): a new volume starts <c>Pending</c>; the reclaim
/// policy defaults to <c>Retain</c> and the volume mode to <c>Filesystem</c>; rules in
/// <see cref="PersistentVolumeValidation"/>. Stateless and thread-safe. Mirrors
/// pkg/registry/core/persistentvolume/strategy.go and SetDefaults_PersistentVolume.
/// </summary>
internal sealed class PersistentVolumeStrategy() : ResourceStrategy(KindRegistry.PersistentVolumes)
{
    public override void PrepareForCreate(JsonObject obj)
    {
        base.PrepareForCreate(obj);
        obj["status"] = new JsonObject { ["phase"] = "Pending" };
    }

    public override void Default(JsonObject obj)
    {
        var spec = JsonFields.Child(obj, "spec");
        JsonFields.SetDefaultString(spec, "persistentVolumeReclaimPolicy", "Retain");
        JsonFields.SetDefaultString(spec, "volumeMode", "Filesystem");
        if (spec["hostPath"] is JsonObject hostPath)
        {
            JsonFields.SetDefault(hostPath, "type", "");
        }
        JsonFields.SetDefaultString(JsonFields.Child(obj, "status"), "phase", "Pending");
    }

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        PersistentVolumeValidation.ValidateSpec(obj["spec"] as JsonObject ?? [], errs);
        return errs;
    }

    public override IReadOnlyList<FieldError> ValidateUpdate(JsonObject newObj, JsonObject oldObj)
    {
        var errs = new List<FieldError>(base.ValidateUpdate(newObj, oldObj));
        PersistentVolumeValidation.ValidateSpecUpdate(newObj["spec"] as JsonObject ?? [], oldObj["spec"] as JsonObject ?? [], errs);
        return errs;
    }

    /// <summary>Besides metadata, the legacy field <c>name</c> (upstream PersistentVolumeToSelectableFields).</summary>
    public override string? GetSelectableField(JsonObject obj, string field) =>
        field == "name" ? base.GetSelectableField(obj, "metadata.name") : base.GetSelectableField(obj, field);
}
