using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.Kubelet.Volumes;

/// <summary>
/// persistentVolumeClaim: the claim must exist, not be being deleted and be bound; its PersistentVolume must be a
/// <c>hostPath</c> or <c>local</c> volume, whose directory is then used in place (a hostPath of type
/// <c>DirectoryOrCreate</c> is created 0777 if missing; other types are checked as for hostPath volumes). The content
/// is never removed here: the volume's reclaim policy decides. Read-only when the pod's volume source says so.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/kubelet/volumemanager/populator (createVolumeSpec, getPVCExtractPV and its
/// errors) followed by the hostPath and local plugins' SetUp.
/// </remarks>
internal sealed class PersistentVolumeClaimVolume : IVolumePlugin
{
    private readonly HostPathVolume _hostPath = new();

    public string PluginDirectory => "kubernetes.io~local-volume";

    public bool ReadOnly => false;

    public bool OwnsContent => false;

    public bool CanSupport(V1Volume volume) => volume.PersistentVolumeClaim is not null;

    public async Task<string> SetUpAsync(VolumeContext context, V1Volume volume, CancellationToken cancellationToken)
    {
        var claimName = volume.PersistentVolumeClaim.ClaimName;
        var claim = await GetAsync(context, KindRegistry.PersistentVolumeClaims, context.Namespace, claimName, cancellationToken).ConfigureAwait(false);
        var prefix = $"error processing PVC {context.Namespace}/{claimName}";
        if (claim is null)
        {
            throw Unprocessable(volume.Name, $"{prefix}: failed to fetch PVC from API server: persistentvolumeclaims \"{claimName}\" not found");
        }
        if (claim.GetString("metadata", "deletionTimestamp") is not null)
        {
            throw Unprocessable(volume.Name, $"{prefix}: can't start pod because PVC is being deleted");
        }
        var volumeName = claim.GetString("spec", "volumeName");
        if (string.IsNullOrEmpty(volumeName) || claim.GetString("status", "phase") != "Bound")
        {
            throw Unprocessable(volume.Name, $"{prefix}: PVC is not bound");
        }
        var pv = await GetAsync(context, KindRegistry.PersistentVolumes, null, volumeName, cancellationToken).ConfigureAwait(false)
            ?? throw Unprocessable(volume.Name, $"{prefix}: failed to fetch PV {volumeName} from API server: persistentvolumes \"{volumeName}\" not found");
        if (pv.GetString("spec", "claimRef", "uid") != claim.GetUid())
        {
            throw Unprocessable(volume.Name, $"{prefix}: failed to fetch PV {volumeName} from API server: pvc.UID ({claim.GetUid()}) does not match " +
                $"pv.Spec.ClaimRef.UID ({pv.GetString("spec", "claimRef", "uid")})");
        }
        return SetUpSource(volume.Name, pv);
    }

    private string SetUpSource(string volumeName, JsonObject pv)
    {
        if (pv.GetString("spec", "hostPath", "path") is { Length: > 0 } hostPath)
        {
            var type = pv.GetString("spec", "hostPath", "type") ?? "";
            var created = type == "DirectoryOrCreate" && !Directory.Exists(hostPath);
            var path = _hostPath.SetUp(volumeName, hostPath, type);
            if (created && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, (UnixFileMode)0x1FF);
            }
            return path;
        }
        if (pv.GetString("spec", "local", "path") is { Length: > 0 } localPath)
        {
            if (!Directory.Exists(localPath) && !File.Exists(localPath))
            {
                throw VolumeSetupException.SetUpFailed(volumeName, $"path \"{localPath}\" does not exist");
            }
            return localPath;
        }
        throw VolumeSetupException.SetUpFailed(volumeName,
            $"volume {pv.GetName()} has a source Berth cannot mount (only hostPath and local PersistentVolumes are supported)");
    }

    /// <summary>Upstream's populator error, reported as a FailedMount event while the pod waits in ContainerCreating.</summary>
    private static VolumeSetupException Unprocessable(string volumeName, string detail) =>
        new(volumeName, VolumeSetupException.FailedMount,
            $"Unable to attach or mount volumes: unmounted volumes=[{volumeName}], unattached volumes=[], failed to process volumes=[{volumeName}]: {detail}");

    private static async Task<JsonObject?> GetAsync(VolumeContext context, ResourceKind kind, string? ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await context.Client.GetAsync(kind, ns, name, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }
}
