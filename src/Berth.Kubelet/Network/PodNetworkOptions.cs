namespace Berth.Kubelet.Network;

/// <summary>
/// Settings of <see cref="PodAddressAllocator"/>. Read once at construction.
/// </summary>
/// <remarks>
/// Several agents on one machine (standalone <c>berth agent</c> next to <c>berth server</c>) must be given disjoint
/// ranges with <c>--pod-cidr</c>, e.g. 127.1.0.0/16 for the server's own node and 127.2.0.0/16 for the next agent;
/// nothing coordinates ranges between agents, just as upstream's host-local IPAM trusts the node's podCIDR.
/// </remarks>
public sealed class PodNetworkOptions
{
    /// <summary>The pod address range (<c>--pod-cidr</c>); must lie inside 127.0.0.0/8 with a prefix of /8 to /30.</summary>
    public string PodCidr { get; init; } = "127.1.0.0/16";

    /// <summary>The node's address, reported as every pod's <c>status.hostIP</c> (never handed to a pod).</summary>
    public string HostIP { get; init; } = "127.0.0.1";

    /// <summary>
    /// Directory holding <c>pod-ips.json</c>, the persisted allocations (the agent's state dir, as host-local IPAM
    /// keeps <c>/var/lib/cni/networks/&lt;net&gt;</c>). Created when missing.
    /// </summary>
    public required string StateDirectory { get; init; }
}
