using System.Text;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry;
using Berth.Machinery.Serialization;

namespace Berth.Kubelet.Volumes;

/// <summary>
/// Reads the ConfigMaps and Secrets that volumes project, as key → bytes. Reads go straight to the API on every call
/// (no watch-based cache), so a changed ConfigMap reaches the volume on the pod's next sync. The returned data is
/// never logged or put in messages.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/kubelet/configmap and pkg/kubelet/secret (GetConfigMap/GetSecret) and their not-found errors.</remarks>
internal static class VolumeSources
{
    /// <summary><c>data</c> (UTF-8) and <c>binaryData</c> (base64) of the ConfigMap, or null when it does not exist.</summary>
    public static async Task<IReadOnlyDictionary<string, byte[]>?> GetConfigMapAsync(VolumeContext context, string name, CancellationToken cancellationToken)
    {
        var obj = await context.Client.GetOrNullAsync(KindRegistry.ConfigMaps, context.Namespace, name, cancellationToken).ConfigureAwait(false);
        if (obj is null)
        {
            return null;
        }
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in obj.GetStringMap("data"))
        {
            data[key] = Encoding.UTF8.GetBytes(value);
        }
        foreach (var (key, value) in obj.GetStringMap("binaryData"))
        {
            data[key] = Convert.FromBase64String(value);
        }
        return data;
    }

    /// <summary>The decoded <c>data</c> of the Secret, or null when it does not exist.</summary>
    public static async Task<IReadOnlyDictionary<string, byte[]>?> GetSecretAsync(VolumeContext context, string name, CancellationToken cancellationToken)
    {
        var obj = await context.Client.GetOrNullAsync(KindRegistry.Secrets, context.Namespace, name, cancellationToken).ConfigureAwait(false);
        if (obj is null)
        {
            return null;
        }
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in obj.GetStringMap("data"))
        {
            data[key] = Convert.FromBase64String(value);
        }
        return data;
    }

    /// <summary>Upstream's not-found text, with the singular resource name: <c>configmap "x" not found</c>.</summary>
    public static string NotFoundMessage(ResourceKind kind, string name) => $"{kind.Singular} \"{name}\" not found";

}
