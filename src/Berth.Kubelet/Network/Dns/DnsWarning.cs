namespace Berth.Kubelet.Network.Dns;

/// <summary>A Warning event the DNS configurer asks for, with upstream's reason and message.</summary>
public sealed record DnsWarning(string Reason, string Message)
{
    /// <summary>A resolver limit cut nameservers or search domains.</summary>
    public const string DnsConfigForming = "DNSConfigForming";

    /// <summary>ClusterFirst without cluster DNS servers: the pod falls back to the host's resolver.</summary>
    public const string MissingClusterDns = "MissingClusterDNS";
}
