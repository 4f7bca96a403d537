using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using Berth.Registry.Core.PersistentVolumes;

namespace Berth.Controllers.Volume;

/// <summary>
/// Berth's built-in dynamic provisioner, <c>berth.dev/local-path</c> (the equivalent of k3s's
/// <c>rancher.io/local-path</c>): a claim's volume is the directory <c>&lt;root&gt;/pvc-&lt;uid&gt;_&lt;ns&gt;_&lt;name&gt;</c>
/// (mode 0777, so any container user can write), served as a <c>hostPath</c> PersistentVolume named
/// <c>pvc-&lt;uid&gt;</c> with node affinity to the node the scheduler selected. Deleting removes the directory, and
/// only directories below the root. Thread-safe; no state besides the root.
/// </summary>
/// <remarks>
/// Mirrors rancher/local-path-provisioner (provisioner.go Provision/Delete) and the PV shape of
/// kubernetes-sigs/sig-storage-lib-external-provisioner. Directories are created and removed in-process instead of
/// by helper pods: every Berth node runs on this machine.
/// </remarks>
public sealed class LocalPathProvisioner(string root)
{
    public const string ProvisionerName = "berth.dev/local-path";

    /// <summary>The directory volumes are created in (<c>&lt;data-dir&gt;/storage</c>).</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The PersistentVolume name for <paramref name="claim"/>: <c>pvc-&lt;claim uid&gt;</c>.</summary>
    public static string VolumeName(JsonObject claim) => "pvc-" + claim.GetUid();

    /// <summary>The host directory of <paramref name="claim"/>'s volume.</summary>
    public string DirectoryFor(JsonObject claim) =>
        Path.Combine(Root, $"{VolumeName(claim)}_{claim.GetNamespace()}_{claim.GetName()}");

    /// <summary>Creates the directory (idempotent) and returns the PersistentVolume to create for <paramref name="claim"/>.</summary>
    public JsonObject Provision(JsonObject claim, JsonObject storageClass, string? node)
    {
        var path = DirectoryFor(claim);
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0x1FF);
        }
        return BuildVolume(claim, storageClass, node, path);
    }

    /// <summary>The PersistentVolume for <paramref name="claim"/> at <paramref name="path"/>; pre-bound to the claim by UID.</summary>
    public static JsonObject BuildVolume(JsonObject claim, JsonObject storageClass, string? node, string path)
    {
        var spec = new JsonObject
        {
            ["capacity"] = new JsonObject { ["storage"] = claim.GetPath("spec", "resources", "requests", "storage")?.DeepClone() },
            ["accessModes"] = claim.GetPath("spec", "accessModes")?.DeepClone(),
            ["persistentVolumeReclaimPolicy"] = storageClass.GetString("reclaimPolicy") ?? "Delete",
            ["storageClassName"] = StorageClassNames.Of(claim),
            ["volumeMode"] = claim.GetString("spec", "volumeMode") ?? "Filesystem",
            ["hostPath"] = new JsonObject { ["path"] = path, ["type"] = "DirectoryOrCreate" },
            ["claimRef"] = new JsonObject
            {
                ["kind"] = "PersistentVolumeClaim", ["apiVersion"] = "v1", ["namespace"] = claim.GetNamespace(),
                ["name"] = claim.GetName(), ["uid"] = claim.GetUid(), ["resourceVersion"] = claim.GetResourceVersion(),
            },
        };
        if (storageClass.GetPath("mountOptions") is JsonArray mountOptions)
        {
            spec["mountOptions"] = mountOptions.DeepClone();
        }
        if (node is not null)
        {
            spec["nodeAffinity"] = NodeAffinity(node);
        }
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "PersistentVolume",
            ["metadata"] = new JsonObject
            {
                ["name"] = VolumeName(claim),
                ["annotations"] = new JsonObject { [VolumeAnnotations.ProvisionedBy] = ProvisionerName },
            },
            ["spec"] = spec,
        };
    }

    /// <summary>
    /// Removes the volume's directory when it lies below <see cref="Root"/>; returns false (and leaves the disk alone)
    /// for any other path. A missing directory counts as removed.
    /// </summary>
    public bool Delete(JsonObject volume)
    {
        var path = volume.GetString("spec", "hostPath", "path") ?? volume.GetString("spec", "local", "path");
        if (path is null)
        {
            return false;
        }
        var full = Path.GetFullPath(path);
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || full.Length <= Root.Length + 1)
        {
            return false;
        }
        if (Directory.Exists(full))
        {
            Directory.Delete(full, recursive: true);
        }
        return true;
    }

    private static JsonObject NodeAffinity(string node) => new()
    {
        ["required"] = new JsonObject
        {
            ["nodeSelectorTerms"] = new JsonArray(new JsonObject
            {
                ["matchExpressions"] = new JsonArray(new JsonObject
                {
                    ["key"] = VolumeAnnotations.HostnameLabel, ["operator"] = "In", ["values"] = new JsonArray(node),
                }),
            }),
        },
    };
}
