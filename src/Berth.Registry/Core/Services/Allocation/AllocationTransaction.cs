using System.Net;

namespace Berth.Registry.Core.Services.Allocation;

/// <summary>
/// What one write allocated (given back on revert) and what it gives up once stored (released on commit).
/// Mirrors the transaction helpers of kubernetes/kubernetes pkg/registry/core/service/storage/transaction.go
/// (callbackTransaction, metaTransaction).
/// </summary>
/// <remarks>Used by one request at a time; <see cref="Finish"/> is called once.</remarks>
internal sealed class AllocationTransaction(ClusterIPAllocator ips, NodePortAllocator ports)
{
    private readonly List<IPAddress> _allocatedIPs = [];
    private readonly List<int> _allocatedPorts = [];
    private readonly List<IPAddress> _releaseIPs = [];
    private readonly List<int> _releasePorts = [];

    public void AllocatedIP(IPAddress ip) => _allocatedIPs.Add(ip);

    public void AllocatedPort(int port) => _allocatedPorts.Add(port);

    public void ReleaseOnCommit(IPAddress ip) => _releaseIPs.Add(ip);

    public void ReleaseOnCommit(int port) => _releasePorts.Add(port);

    /// <summary>Commit: release what the old object held. Revert: release what this write allocated.</summary>
    public void Finish(bool success)
    {
        foreach (var ip in success ? _releaseIPs : _allocatedIPs)
        {
            ips.Release(ip);
        }
        foreach (var port in success ? _releasePorts : _allocatedPorts)
        {
            ports.Release(port);
        }
    }
}
