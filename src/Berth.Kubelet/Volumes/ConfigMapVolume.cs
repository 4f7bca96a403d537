using Berth.Machinery.Kinds;
using k8s.Models;

namespace Berth.Kubelet.Volumes;

/// <summary>
/// configMap: the ConfigMap's keys (or the listed items) as files, published atomically. A missing ConfigMap is an
/// empty volume when <c>optional</c>, a <c>configmap "x" not found</c> setup failure otherwise. Content is re-read on
/// every call, so updates reach the volume on the pod's next sync (upstream propagates them within its sync period).
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/volume/configmap/configmap.go (SetUpAt).</remarks>
internal sealed class ConfigMapVolume : IVolumePlugin
{
    public string PluginDirectory => "kubernetes.io~configmap";

    public bool ReadOnly => true;

    public bool OwnsContent => true;

    public bool CanSupport(V1Volume volume) => volume.ConfigMap is not null;

    public async Task<string> SetUpAsync(VolumeContext context, V1Volume volume, CancellationToken cancellationToken)
    {
        var source = volume.ConfigMap;
        var optional = source.Optional ?? false;
        var data = await VolumeSources.GetConfigMapAsync(context, source.Name, cancellationToken).ConfigureAwait(false);
        if (data is null && !optional)
        {
            throw VolumeSetupException.SetUpFailed(volume.Name, VolumeSources.NotFoundMessage(KindRegistry.ConfigMaps, source.Name));
        }
        Dictionary<string, FileProjection> payload;
        try
        {
            payload = KeyToPathPayload.Build(data ?? new Dictionary<string, byte[]>(), source.Items,
                source.DefaultMode ?? UnixFiles.DefaultFileMode, optional, KeyToPathPayload.ConfigMapMissingKey);
        }
        catch (ArgumentException e)
        {
            throw VolumeSetupException.SetUpFailed(volume.Name, e.Message, e);
        }
        return PayloadPublisher.Publish(context, context.VolumeDirectory(this, volume.Name), volume.Name, payload);
    }
}
