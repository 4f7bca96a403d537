using System.Text;

namespace Berth.Kubelet.Network.Dns;

/// <summary>
/// A pod's resolver settings. Mirrors kubernetes/cri-api pkg/apis/runtime/v1 (DNSConfig). Immutable.
/// </summary>
public sealed record PodDnsConfig(IReadOnlyList<string> Servers, IReadOnlyList<string> Searches, IReadOnlyList<string> Options)
{
    public static PodDnsConfig Empty { get; } = new([], [], []);

    /// <summary>resolv.conf text in the order containerd writes it: search, nameserver lines, options.</summary>
    public string ToResolvConf()
    {
        var text = new StringBuilder();
        if (Searches.Count > 0)
        {
            text.Append("search ").AppendJoin(' ', Searches).Append('\n');
        }
        foreach (var server in Servers)
        {
            text.Append("nameserver ").Append(server).Append('\n');
        }
        if (Options.Count > 0)
        {
            text.Append("options ").AppendJoin(' ', Options).Append('\n');
        }
        return text.ToString();
    }
}
