using System.Text;
using k8s.Models;

namespace Berth.Kubelet.Volumes;

/// <summary>
/// The files of a downward API volume (or projection): one file per item holding a fieldRef or resourceFieldRef
/// value, with the item's mode or the default mode. Every failing item is reported; pure.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/volume/downwardapi/downwardapi.go (CollectData).</remarks>
internal static class DownwardApiPayload
{
    public static Dictionary<string, FileProjection> Build(V1Pod pod, IList<V1DownwardAPIVolumeFile>? items, int defaultMode,
        VolumeManagerOptions options, List<string> errors)
    {
        var payload = new Dictionary<string, FileProjection>(StringComparer.Ordinal);
        foreach (var item in items ?? [])
        {
            try
            {
                var value = item.FieldRef is not null
                    ? DownwardApiFields.ExtractFieldPath(pod, item.FieldRef.FieldPath)
                    : item.ResourceFieldRef is not null
                        ? DownwardApiFields.ExtractResource(pod, item.ResourceFieldRef, options)
                        : "";
                payload[KeyToPathPayload.CleanPath(item.Path)] = new FileProjection(Encoding.UTF8.GetBytes(value), item.Mode ?? defaultMode);
            }
            catch (ArgumentException e)
            {
                errors.Add(e.Message);
            }
        }
        return payload;
    }
}
