using Berth.Proxy.Model;

namespace Berth.Proxy.LoadBalancing;

/// <summary>
/// Each new connection goes to the usable endpoint with the fewest active proxied connections; ties go round-robin,
/// so idle endpoints share new connections evenly. Reads the live counters without locking (a racing connection may
/// see a count one off, which only shifts a tie).
/// </summary>
/// <remarks>The analogue of YARP LeastRequestsLoadBalancingPolicy and IPVS <c>lc</c>.</remarks>
public sealed class LeastConnectionsPolicy : ILoadBalancingPolicy
{
    public int Pick(ServicePortState port)
    {
        var usable = port.Usable;
        var start = (int)((uint)port.NextCursor() % (uint)usable.Length);
        var best = start;
        var bestActive = long.MaxValue;
        for (var i = 0; i < usable.Length; i++)
        {
            var index = (start + i) % usable.Length;
            var active = usable[index].Stats.ActiveConnections;
            if (active < bestActive)
            {
                best = index;
                bestActive = active;
            }
        }
        return best;
    }
}
