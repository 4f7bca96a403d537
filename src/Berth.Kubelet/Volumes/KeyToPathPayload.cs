using k8s.Models;

namespace Berth.Kubelet.Volumes;

/// <summary>
/// The files of a ConfigMap or Secret volume (or projection): every key under its own name with the default mode, or
/// only the listed <c>items</c> at their <c>path</c> with their <c>mode</c>. A listed key that does not exist is
/// skipped when the source is optional and an error otherwise. Pure.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/volume/configmap/configmap.go and pkg/volume/secret/secret.go (MakePayload).</remarks>
internal static class KeyToPathPayload
{
    /// <param name="missingKeyMessage">Upstream's text for a missing key, e.g. <c>configmap references non-existent config key: k</c>.</param>
    public static Dictionary<string, FileProjection> Build(IReadOnlyDictionary<string, byte[]> data, IList<V1KeyToPath>? items,
        int defaultMode, bool optional, Func<string, string> missingKeyMessage)
    {
        var payload = new Dictionary<string, FileProjection>(StringComparer.Ordinal);
        if (items is null || items.Count == 0)
        {
            foreach (var (key, bytes) in data)
            {
                payload[key] = new FileProjection(bytes, defaultMode);
            }
            return payload;
        }
        foreach (var item in items)
        {
            if (!data.TryGetValue(item.Key, out var bytes))
            {
                if (optional)
                {
                    continue;
                }
                throw new ArgumentException(missingKeyMessage(item.Key));
            }
            payload[CleanPath(item.Path)] = new FileProjection(bytes, item.Mode ?? defaultMode);
        }
        return payload;
    }

    /// <summary>filepath.Clean for the relative paths the API allows: collapses <c>//</c> and <c>./</c>, trims a trailing slash.</summary>
    public static string CleanPath(string path) =>
        string.Join('/', path.Split('/').Where(segment => segment.Length > 0 && segment != "."));

    public static string ConfigMapMissingKey(string key) => $"configmap references non-existent config key: {key}";

    public static string SecretMissingKey(string key) => $"references non-existent secret key: {key}";
}
