using k8s.Models;

namespace Berth.Kubelet.KubeRuntime.Env;

/// <summary>
/// Values of downward-API <c>fieldRef</c>s: metadata.name/namespace/uid, metadata.labels['k'] and
/// annotations['k'] (whole maps as sorted <c>k="v"</c> lines), spec.nodeName, spec.serviceAccountName,
/// status.hostIP(s), status.podIP(s). Mirrors kubernetes/kubernetes pkg/fieldpath/fieldpath.go
/// (ExtractFieldPathAsString, FormatMap) and kubelet_pods.go (podFieldSelectorRuntimeValue).
/// </summary>
public static class FieldPathResolver
{
    public static string Resolve(string fieldPath, V1Pod pod, IReadOnlyList<string> podIPs, string hostIP)
    {
        switch (fieldPath)
        {
            case "metadata.name":
                return pod.Metadata?.Name ?? "";
            case "metadata.namespace":
                return pod.Metadata?.NamespaceProperty ?? "";
            case "metadata.uid":
                return pod.Metadata?.Uid ?? "";
            case "metadata.labels":
                return FormatMap(pod.Metadata?.Labels);
            case "metadata.annotations":
                return FormatMap(pod.Metadata?.Annotations);
            case "spec.nodeName":
                return pod.Spec?.NodeName ?? "";
            case "spec.serviceAccountName":
                return pod.Spec?.ServiceAccountName ?? "";
            case "status.hostIP":
            case "status.hostIPs":
                return hostIP;
            case "status.podIP":
                return podIPs.Count > 0 ? podIPs[0] : "";
            case "status.podIPs":
                return string.Join(",", podIPs);
        }

        if (TrySubscript(fieldPath, "metadata.labels", out var label))
        {
            return pod.Metadata?.Labels?.TryGetValue(label, out var value) == true ? value : "";
        }

        if (TrySubscript(fieldPath, "metadata.annotations", out var annotation))
        {
            return pod.Metadata?.Annotations?.TryGetValue(annotation, out var value) == true ? value : "";
        }

        throw new ContainerConfigException($"unsupported fieldPath: {fieldPath}");
    }

    // metadata.labels['key'] → key
    private static bool TrySubscript(string fieldPath, string prefix, out string key)
    {
        key = "";
        if (!fieldPath.StartsWith(prefix + "['", StringComparison.Ordinal) || !fieldPath.EndsWith("']", StringComparison.Ordinal))
        {
            return false;
        }

        key = fieldPath[(prefix.Length + 2)..^2];
        return key.Length > 0;
    }

    private static string FormatMap(IDictionary<string, string>? map)
    {
        var lines = (map ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={Berth.Machinery.Errors.GoQuote.Quote(p.Value)}");
        return string.Join("\n", lines);
    }
}
