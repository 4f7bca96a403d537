using k8s.Models;

namespace Berth.Kubelet.Container;

/// <summary>
/// How the kubelet names pods and containers in messages and events. Mirrors kubernetes/kubernetes
/// pkg/kubelet/util/format/pod.go (Pod) and pkg/kubelet/container/ref.go (fieldPath).
/// </summary>
public static class PodFormat
{
    /// <summary><c>name_namespace(uid)</c>, as in "back-off 10s restarting failed container=app pod=web_default(uid)".</summary>
    public static string Pod(V1Pod pod) =>
        $"{pod.Metadata?.Name}_{pod.Metadata?.NamespaceProperty}({pod.Metadata?.Uid})";

    /// <summary><c>spec.containers{name}</c>, <c>spec.initContainers{name}</c> or <c>spec.ephemeralContainers{name}</c>; null when the pod has no such container.</summary>
    public static string? FieldPath(V1Pod pod, string containerName)
    {
        if (pod.Spec?.Containers?.Any(c => c.Name == containerName) == true)
        {
            return $"spec.containers{{{containerName}}}";
        }

        if (pod.Spec?.InitContainers?.Any(c => c.Name == containerName) == true)
        {
            return $"spec.initContainers{{{containerName}}}";
        }

        return PodSpecs.IsEphemeral(pod, containerName) ? $"spec.ephemeralContainers{{{containerName}}}" : null;
    }
}
