using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Pods;

/// <summary>
/// Pod volumes (unique DNS-label names, exactly one source) and container volume mounts (name of a declared
/// volume, unique non-empty mount path). Sources are not validated in depth. Mirrors kubernetes/kubernetes
/// pkg/apis/core/validation (ValidateVolumes, validateVolumeSource, ValidateVolumeMounts).
/// </summary>
internal static class VolumeValidation
{
    private static readonly string[] SourceTypes =
    [
        "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi",
        "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc",
        "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected",
        "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral", "image",
    ];

    /// <summary>Validates the volumes and returns their names, for the mounts check.</summary>
    public static HashSet<string> ValidateVolumes(JsonArray? volumes, string path, List<FieldError> errs)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (i, volume) in JsonFields.Objects(volumes))
        {
            var idx = FieldPath.Index(path, i);
            var name = JsonFields.AsString(volume["name"]) ?? "";
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
                if (!names.Add(name))
                {
                    errs.Add(FieldError.Duplicate(FieldPath.Child(idx, "name"), name));
                }
            }
            ValidateSourceCount(volume, idx, errs);
            ServiceAccountTokenProjectionRules.Validate(volume, idx, errs);
        }
        return names;
    }

    public static void ValidateVolumeMounts(JsonArray? mounts, HashSet<string> volumes, string path, List<FieldError> errs)
    {
        var mountPaths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (i, mount) in JsonFields.Objects(mounts))
        {
            var idx = FieldPath.Index(path, i);
            var name = JsonFields.AsString(mount["name"]) ?? "";
            if (name.Length == 0)
            {
                errs.Add(FieldError.Required(FieldPath.Child(idx, "name")));
            }
            else if (!volumes.Contains(name))
            {
                errs.Add(new FieldError(CauseType.FieldValueNotFound, FieldPath.Child(idx, "name"), "", GoValueRenderer.Quote(name)));
            }
            var mountPath = JsonFields.AsString(mount["mountPath"]) ?? "";
            if (mountPath.Length == 0)
            {
                errs.Add(FieldError.Required(FieldPath.Child(idx, "mountPath")));
            }
            else if (!mountPaths.Add(mountPath))
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(idx, "mountPath"), mountPath, "must be unique"));
            }
        }
    }

    private static void ValidateSourceCount(JsonObject volume, string path, List<FieldError> errs)
    {
        var count = 0;
        foreach (var type in SourceTypes)
        {
            if (volume[type] is not JsonObject)
            {
                continue;
            }
            if (count++ > 0)
            {
                errs.Add(FieldError.Forbidden(FieldPath.Child(path, type), "may not specify more than 1 volume type"));
            }
        }
        if (count == 0)
        {
            errs.Add(FieldError.Required(path, "must specify a volume type"));
        }
    }
}
