using k8s.Models;

namespace Berth.Kubelet.Volumes;

/// <summary>
/// One volume type (emptyDir, configMap, …): prepares a pod's volume on the host and says where it lives.
/// Implementations are stateless and thread-safe; one pod's volumes are set up by one pod worker at a time.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/volume/plugins.go (VolumePlugin, Mounter.SetUp).</remarks>
internal interface IVolumePlugin
{
    /// <summary>The directory name below <c>volumes/</c>, e.g. <c>kubernetes.io~configmap</c> (upstream's escaped plugin name).</summary>
    string PluginDirectory { get; }

    /// <summary>True when containers must see the volume read-only whatever their volumeMount says (upstream's Attributes.ReadOnly).</summary>
    bool ReadOnly { get; }

    bool CanSupport(V1Volume volume);

    /// <summary>
    /// Makes the volume's content exist and returns the host path holding it. Idempotent; refreshes content that
    /// changed (ConfigMap and Secret data are re-read on every call). Throws <see cref="VolumeSetupException"/>.
    /// </summary>
    Task<string> SetUpAsync(VolumeContext context, V1Volume volume, CancellationToken cancellationToken);

    /// <summary>Whether <see cref="VolumeManager.UnmountVolumesAsync"/> may delete what this plugin set up (false for hostPath).</summary>
    bool OwnsContent { get; }
}
