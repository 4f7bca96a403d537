using k8s.Models;

namespace Berth.Kubelet.KubeRuntime.Env;

/// <summary>
/// The host name a pod's containers are given in <c>HOSTNAME</c>, as a container runtime sets it from the sandbox:
/// <c>spec.hostname</c>, else the pod's name, cut to 63 characters with trailing <c>-</c> and <c>.</c> removed; a
/// <c>hostNetwork</c> pod gets the machine's host name. Berth has no UTS namespace, so <c>hostname(1)</c> inside a
/// container still prints the machine's name; the variable is what scripts (<c>${HOSTNAME##*-}</c> for a
/// StatefulSet ordinal) and logging libraries read.
/// Mirrors kubernetes/kubernetes pkg/kubelet/kubelet_pods.go (GeneratePodHostNameAndDomain,
/// truncatePodHostnameIfNeeded) and containerd's CRI container spec (the <c>HOSTNAME</c> variable).
/// </summary>
public static class PodHostname
{
    /// <summary>The environment variable a runtime sets; a container's own <c>env</c> entry of that name wins.</summary>
    public const string Variable = "HOSTNAME";

    private const int MaxLength = 63;

    public static string Of(V1Pod pod, Func<string> machineHostName)
    {
        if (pod.Spec?.HostNetwork == true)
        {
            return machineHostName();
        }
        var name = string.IsNullOrEmpty(pod.Spec?.Hostname) ? pod.Metadata?.Name ?? "" : pod.Spec.Hostname;
        return name.Length <= MaxLength ? name : name[..MaxLength].TrimEnd('-', '.');
    }
}
