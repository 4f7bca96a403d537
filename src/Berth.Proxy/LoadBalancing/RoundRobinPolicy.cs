using Berth.Proxy.Model;

namespace Berth.Proxy.LoadBalancing;

/// <summary>Each new connection starts at the next usable endpoint, per service port (an interlocked cursor).</summary>
/// <remarks>The analogue of YARP RoundRobinLoadBalancingPolicy; kube-proxy's iptables mode picks at random instead.</remarks>
public sealed class RoundRobinPolicy : ILoadBalancingPolicy
{
    public int Pick(ServicePortState port) => (int)((uint)port.NextCursor() % (uint)port.Usable.Length);
}
