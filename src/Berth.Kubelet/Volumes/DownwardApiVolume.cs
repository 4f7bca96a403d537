using k8s.Models;

namespace Berth.Kubelet.Volumes;

/// <summary>
/// downwardAPI: pod metadata and container resources as files (<c>labels</c> and <c>annotations</c> as sorted
/// <c>k="v"</c> lines), published atomically and refreshed on every call, so label and annotation changes show up on
/// the pod's next sync.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/volume/downwardapi/downwardapi.go (SetUpAt).</remarks>
internal sealed class DownwardApiVolume : IVolumePlugin
{
    public string PluginDirectory => "kubernetes.io~downward-api";

    public bool ReadOnly => true;

    public bool OwnsContent => true;

    public bool CanSupport(V1Volume volume) => volume.DownwardAPI is not null;

    public Task<string> SetUpAsync(VolumeContext context, V1Volume volume, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var payload = DownwardApiPayload.Build(context.Pod, volume.DownwardAPI.Items,
            volume.DownwardAPI.DefaultMode ?? UnixFiles.DefaultFileMode, context.Options, errors);
        if (errors.Count > 0)
        {
            throw VolumeSetupException.SetUpFailed(volume.Name, PayloadPublisher.Aggregate(errors));
        }
        return Task.FromResult(PayloadPublisher.Publish(context, context.VolumeDirectory(this, volume.Name), volume.Name, payload));
    }
}
