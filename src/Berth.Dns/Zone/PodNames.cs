using System.Net;

namespace Berth.Dns.Zone;

/// <summary>
/// Pod A records <c>&lt;a-b-c-d&gt;.&lt;ns&gt;.pod.&lt;domain&gt;</c> in the <c>pods insecure</c> mode of kubeadm's
/// default Corefile: the address is read from the name, without checking that such a pod exists.
/// </summary>
/// <remarks>Mirrors coredns/coredns plugin/kubernetes/kubernetes.go (findPods, podModeInsecure).</remarks>
public static class PodNames
{
    /// <summary>The address a pod name encodes, or null when <paramref name="name"/> is not a pod name of <paramref name="domain"/>.</summary>
    public static IPAddress? AddressOf(string name, string domain)
    {
        var suffix = $".pod.{domain}";
        if (!name.EndsWith(suffix, StringComparison.Ordinal))
        {
            return null;
        }
        var labels = name[..^suffix.Length].Split('.');
        if (labels.Length != 2 || labels[1].Length == 0)
        {
            return null;
        }
        var parts = labels[0].Split('-');
        return parts.Length == 4 && parts.All(p => byte.TryParse(p, out _)) && IPAddress.TryParse(string.Join('.', parts), out var ip)
            ? ip
            : null;
    }
}
