using Berth.Proxy.Model;

namespace Berth.Proxy.LoadBalancing;

/// <summary>
/// Picks the endpoint a new connection tries first; when the dial is refused the caller tries the following ones in
/// order. Called on the connection path: must be lock-free and must not allocate.
/// </summary>
/// <remarks>The analogue of YARP src/ReverseProxy/LoadBalancing/ILoadBalancingPolicy.cs.</remarks>
public interface ILoadBalancingPolicy
{
    /// <summary>An index into <see cref="ServicePortState.Usable"/>; <paramref name="port"/> has at least one usable endpoint.</summary>
    int Pick(ServicePortState port);
}
