using System.Net;

namespace Berth.Controllers.ServiceLB;

/// <summary>Settings of <see cref="ServiceLoadBalancerController"/>. Immutable.</summary>
public sealed record ServiceLoadBalancerOptions
{
    /// <summary>The address LoadBalancer Services get in <c>status.loadBalancer.ingress</c> (the server's bind address).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>Ports already served on <see cref="Address"/> by the server itself (its API port), as "6443/TCP".</summary>
    public IReadOnlySet<string> ReservedPorts { get; init; } = new HashSet<string>();
}
