using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.PersistentVolumes;

/// <summary>
/// PersistentVolume spec validation: access modes, a single positive <c>storage</c> capacity, the reclaim policy,
/// the class name, the volume mode, and exactly one volume source (hostPath and local need a path; local needs node
/// affinity); on update the source and volume mode are fixed. Stateless.
/// Mirrors pkg/apis/core/validation (ValidatePersistentVolumeSpec, ValidatePersistentVolumeUpdate).
/// </summary>
public static class PersistentVolumeValidation
{
    /// <summary>The volume-source members of a PersistentVolumeSpec, in upstream's checking order.</summary>
    public static readonly string[] Sources =
    [
        "hostPath", "gcePersistentDisk", "awsElasticBlockStore", "glusterfs", "nfs", "rbd", "quobyte", "cephfs", "iscsi",
        "cinder", "fc", "flocker", "flexVolume", "azureFile", "vsphereVolume", "azureDisk", "photonPersistentDisk",
        "portworxVolume", "scaleIO", "local", "storageos", "csi",
    ];

    private static readonly string[] ReclaimPolicies = ["Delete", "Recycle", "Retain"];
    private static readonly string[] VolumeModes = ["Block", "Filesystem"];
    private static readonly string[] HostPathTypes = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"];

    public static void ValidateSpec(JsonObject spec, List<FieldError> errs)
    {
        VolumeAccessModes.Validate(spec["accessModes"] as JsonArray, "spec.accessModes", "", errs);
        ValidateCapacity(spec["capacity"] as JsonObject, errs);
        if (JsonFields.AsString(spec["persistentVolumeReclaimPolicy"]) is { } policy && !ReclaimPolicies.Contains(policy))
        {
            errs.Add(FieldError.NotSupported("spec.persistentVolumeReclaimPolicy", policy, ReclaimPolicies));
        }
        StorageClassNames.Validate(spec, errs);
        if (JsonFields.AsString(spec["volumeMode"]) is { } mode && !VolumeModes.Contains(mode))
        {
            errs.Add(FieldError.NotSupported("spec.volumeMode", mode, VolumeModes));
        }
        ValidateSource(spec, errs);
    }

    public static void ValidateSpecUpdate(JsonObject newSpec, JsonObject oldSpec, List<FieldError> errs)
    {
        if (!Sources.All(s => JsonSemantics.Equal(newSpec[s], oldSpec[s])))
        {
            errs.Add(FieldError.Forbidden("spec.persistentvolumesource", "spec.persistentvolumesource is immutable after creation"));
        }
        ImmutableField.Validate(newSpec["volumeMode"], oldSpec["volumeMode"], "volumeMode", errs);
    }

    /// <summary>The one source member set on <paramref name="spec"/>, or null.</summary>
    public static string? SourceOf(JsonObject spec) => Sources.FirstOrDefault(s => spec[s] is JsonObject);

    private static void ValidateCapacity(JsonObject? capacity, List<FieldError> errs)
    {
        if (capacity is null || capacity.Count == 0)
        {
            errs.Add(FieldError.Required("spec.capacity"));
            return;
        }
        if (!capacity.ContainsKey("storage") || capacity.Count > 1)
        {
            errs.Add(FieldError.NotSupported("spec.capacity", GoValueRenderer.StringSlice(capacity.Select(p => p.Key)), ["storage"]));
        }
        foreach (var (name, value) in capacity)
        {
            var path = FieldPath.Key("spec.capacity", name);
            if (QuantityValidation.TryParse(value) is not { } quantity)
            {
                errs.Add(FieldError.Invalid(path, QuantityValidation.Text(value) ?? value?.ToJsonString(), QuantityValidation.FormatError));
            }
            else if (quantity <= 0)
            {
                errs.Add(FieldError.Invalid(path, QuantityValidation.Text(value), "must be greater than zero"));
            }
        }
    }

    private static void ValidateSource(JsonObject spec, List<FieldError> errs)
    {
        var present = Sources.Where(s => spec[s] is not null).ToList();
        if (present.Count == 0)
        {
            errs.Add(FieldError.Required("spec", "must specify a volume type"));
            return;
        }
        foreach (var extra in present.Skip(1))
        {
            errs.Add(FieldError.Forbidden("spec." + extra, "may not specify more than 1 volume type"));
        }
        if (spec["hostPath"] is JsonObject hostPath)
        {
            RequirePath(hostPath, "spec.hostPath.path", errs);
            if (JsonFields.AsString(hostPath["type"]) is { } type && !HostPathTypes.Contains(type))
            {
                errs.Add(FieldError.NotSupported("spec.hostPath.type", type, HostPathTypes[1..]));
            }
        }
        if (spec["local"] is JsonObject local)
        {
            RequirePath(local, "spec.local.path", errs);
            if (spec["nodeAffinity"] is null)
            {
                errs.Add(FieldError.Required("spec.nodeAffinity", "Local volume requires node affinity"));
            }
        }
    }

    private static void RequirePath(JsonObject source, string path, List<FieldError> errs)
    {
        if (string.IsNullOrEmpty(JsonFields.AsString(source["path"])))
        {
            errs.Add(FieldError.Required(path));
        }
    }
}
