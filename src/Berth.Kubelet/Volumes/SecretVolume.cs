using Berth.Machinery.Kinds;
using k8s.Models;

namespace Berth.Kubelet.Volumes;

/// <summary>
/// secret: the Secret's decoded keys (or the listed items) as files with <c>defaultMode</c> (0644 unless set, as
/// upstream), published atomically. A missing Secret is an empty volume when <c>optional</c>, a
/// <c>secret "x" not found</c> setup failure otherwise. Re-read on every call, like <see cref="ConfigMapVolume"/>.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/volume/secret/secret.go (SetUpAt).</remarks>
internal sealed class SecretVolume : IVolumePlugin
{
    public string PluginDirectory => "kubernetes.io~secret";

    public bool ReadOnly => true;

    public bool OwnsContent => true;

    public bool CanSupport(V1Volume volume) => volume.Secret is not null;

    public async Task<string> SetUpAsync(VolumeContext context, V1Volume volume, CancellationToken cancellationToken)
    {
        var source = volume.Secret;
        var optional = source.Optional ?? false;
        var data = await VolumeSources.GetSecretAsync(context, source.SecretName, cancellationToken).ConfigureAwait(false);
        if (data is null && !optional)
        {
            throw VolumeSetupException.SetUpFailed(volume.Name, VolumeSources.NotFoundMessage(KindRegistry.Secrets, source.SecretName));
        }
        Dictionary<string, FileProjection> payload;
        try
        {
            payload = KeyToPathPayload.Build(data ?? new Dictionary<string, byte[]>(), source.Items,
                source.DefaultMode ?? UnixFiles.DefaultFileMode, optional, KeyToPathPayload.SecretMissingKey);
        }
        catch (ArgumentException e)
        {
            throw VolumeSetupException.SetUpFailed(volume.Name, e.Message, e);
        }
        return PayloadPublisher.Publish(context, context.VolumeDirectory(this, volume.Name), volume.Name, payload);
    }
}
