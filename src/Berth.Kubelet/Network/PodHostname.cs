using k8s.Models;

namespace Berth.Kubelet.Network;

/// <summary>
/// A pod's host name: <c>spec.hostname</c>, else the pod's name, cut to 63 characters without a trailing '-' or '.';
/// the machine's host name for a <c>hostNetwork</c> pod. A container runtime puts it in the container's
/// <c>HOSTNAME</c> variable (StatefulSet scripts read their ordinal from it); Berth's containers share the host's
/// UTS namespace, so only the variable carries it. Pure apart from the machine's name.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/kubelet/kubelet_pods.go (GeneratePodHostNameAndDomain, truncatePodHostnameIfNeeded)
/// and containerd's CRI plugin, which sets <c>HOSTNAME</c> before the container's own environment (which may override it).
/// </remarks>
public static class PodHostname
{
    /// <summary>The longest host name (a DNS label).</summary>
    public const int MaxLength = 63;

    public static string Of(V1Pod pod)
    {
        if (pod.Spec?.HostNetwork == true)
        {
            return System.Net.Dns.GetHostName();
        }
        var name = string.IsNullOrEmpty(pod.Spec?.Hostname) ? pod.Metadata?.Name ?? "" : pod.Spec.Hostname;
        return name.Length <= MaxLength ? name : name[..MaxLength].TrimEnd('-', '.');
    }
}
