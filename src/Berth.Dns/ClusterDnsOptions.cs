using System.Net;

namespace Berth.Dns;

/// <summary>Settings of the cluster DNS server. Immutable; read once at start.</summary>
/// <remarks>The counterpart of CoreDNS's Corefile <c>kubernetes</c> and <c>forward</c> blocks (kubeadm's default Corefile).</remarks>
public sealed record ClusterDnsOptions
{
    /// <summary>The address the server listens on (UDP and TCP); the upstream ClusterIP of kube-dns is the 10th of the range.</summary>
    public IPAddress ListenAddress { get; init; } = IPAddress.Parse("127.96.0.10");

    /// <summary>The port; 0 disables the server.</summary>
    public int Port { get; init; } = 53;

    /// <summary>The cluster domain, without a trailing dot.</summary>
    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>TTL of every answer from the cluster zone (the CoreDNS kubernetes plugin's default).</summary>
    public int TtlSeconds { get; init; } = 5;

    /// <summary>Where the host's resolvers are read from, for names outside the cluster domain.</summary>
    public string ResolvConfPath { get; init; } = "/etc/resolv.conf";

    /// <summary>Resolvers to forward to instead of those of <see cref="ResolvConfPath"/> (tests).</summary>
    public IReadOnlyList<IPAddress>? Upstreams { get; init; }

    /// <summary>How long one forwarded query may take.</summary>
    public TimeSpan ForwardTimeout { get; init; } = TimeSpan.FromSeconds(2);
}
