using Berth.Registry;
using k8s.Models;

namespace Berth.Kubelet.Volumes;

/// <summary>What a <see cref="IVolumePlugin"/> needs to set up one pod's volume: the pod, where its volumes live, the API and the clock.</summary>
internal sealed record VolumeContext(V1Pod Pod, string PodVolumesDirectory, IApiClient Client, VolumeManagerOptions Options, TimeProvider TimeProvider)
{
    public string Namespace => Pod.Metadata?.NamespaceProperty ?? "default";

    /// <summary><c>&lt;pod&gt;/volumes/&lt;plugin&gt;/&lt;volume&gt;</c>.</summary>
    public string VolumeDirectory(IVolumePlugin plugin, string volumeName) =>
        Path.Combine(PodVolumesDirectory, plugin.PluginDirectory, volumeName);
}
