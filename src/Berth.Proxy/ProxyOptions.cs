using System.Net;

namespace Berth.Proxy;

/// <summary>
/// Settings of the service proxy. Immutable; read once when the proxy starts.
/// Mirrors the relevant flags of kube-proxy (cmd/kube-proxy/app/options.go: --nodeport-addresses).
/// </summary>
public sealed record ProxyOptions
{
    /// <summary>Where NodePort listeners bind (the server's <c>--bind</c> address); null disables NodePorts.</summary>
    public IPAddress? NodePortAddress { get; init; } = IPAddress.Loopback;

    /// <summary>How new connections are spread over the usable endpoints of a service port.</summary>
    public LoadBalancingMode LoadBalancing { get; init; } = LoadBalancingMode.RoundRobin;

    /// <summary>
    /// How long one connection attempt to an endpoint may take before the next endpoint is tried. Loopback pods
    /// accept or refuse at once, so this only bounds a pod whose listen backlog is full.
    /// </summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Size of each of the two copy buffers of a proxied connection.</summary>
    public int BufferSize { get; init; } = 16 * 1024;

    /// <summary>Backlog of each listener.</summary>
    public int ListenBacklog { get; init; } = 512;
}

/// <summary>The load-balancing policy of new connections.</summary>
public enum LoadBalancingMode
{
    /// <summary>Each new connection goes to the next usable endpoint (kube-proxy iptables mode picks at random instead).</summary>
    RoundRobin,

    /// <summary>Each new connection goes to the usable endpoint with the fewest active connections (IPVS <c>lc</c>).</summary>
    LeastConnections,
}
