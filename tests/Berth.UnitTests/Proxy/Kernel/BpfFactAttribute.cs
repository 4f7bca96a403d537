using Berth.Proxy.Kernel;
using Berth.Proxy.Metrics;

namespace Berth.UnitTests.Proxy.Kernel;

/// <summary>
/// Skips unless this machine lets the proxy attach its cgroup/connect4 program (root or CAP_BPF+CAP_NET_ADMIN,
/// cgroup2, bpf(2) with BPF links): found out once by attaching and detaching it, and the reason is the skip message.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BpfFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Unavailable = new(() =>
    {
        using var lb = SocketLoadBalancer.TryAttach(new EndpointStatsRegistry(), null, out var reason);
        return lb is null ? $"the eBPF socket load balancer cannot attach here: {reason}" : null;
    });

    public BpfFactAttribute()
    {
        if (Unavailable.Value is { } reason)
        {
            Skip = reason;
        }
    }
}
