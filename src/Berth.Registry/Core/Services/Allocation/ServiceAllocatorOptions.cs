using System.Net;

namespace Berth.Registry.Core.Services.Allocation;

/// <summary>
/// Where Service cluster IPs and node ports come from. Defaults: cluster IPs from 127.96.0.0/16 (loopback, apart from
/// the pod range 127.1.0.0/16), node ports 30000–32767 as upstream, and 127.96.0.10 kept for the cluster DNS server.
/// Mirrors the kube-apiserver flags <c>--service-cluster-ip-range</c> and <c>--service-node-port-range</c>.
/// </summary>
public sealed record ServiceAllocatorOptions
{
    public string ServiceClusterIPRange { get; init; } = "127.96.0.0/16";

    public string ServiceNodePortRange { get; init; } = "30000-32767";

    /// <summary>The cluster DNS server's address; never allocated dynamically (a Service may still request it).</summary>
    public string ClusterDnsIp { get; init; } = "127.96.0.10";

    /// <summary>
    /// Problems with these options, as messages naming the flags; empty when usable. <paramref name="podCidrs"/> are
    /// ranges the service range must not overlap.
    /// </summary>
    public IReadOnlyList<string> Validate(params string[] podCidrs)
    {
        var errors = new List<string>();
        ServiceIPRange? range = null;
        try
        {
            range = ServiceIPRange.Parse(ServiceClusterIPRange);
        }
        catch (FormatException e)
        {
            errors.Add($"--service-cluster-ip-range: {e.Message}");
        }
        try
        {
            PortRange.Parse(ServiceNodePortRange);
        }
        catch (FormatException e)
        {
            errors.Add($"--service-node-port-range: {e.Message}");
        }
        if (!IPAddress.TryParse(ClusterDnsIp, out _))
        {
            errors.Add($"cluster DNS address \"{ClusterDnsIp}\" is not an IP address");
        }
        if (range is not null)
        {
            foreach (var cidr in podCidrs)
            {
                if (range.Overlaps(ServiceIPRange.Parse(cidr)))
                {
                    errors.Add($"--service-cluster-ip-range {range.Cidr} overlaps the pod range {cidr}");
                }
            }
        }
        return errors;
    }

    /// <summary>The first address of the range: the <c>kubernetes</c> Service's cluster IP.</summary>
    public IPAddress KubernetesServiceIP() => ServiceIPRange.Parse(ServiceClusterIPRange).At(0);
}
