namespace Berth.Kubelet.Network;

/// <summary>
/// Settings of <see cref="PodAddressAllocator"/>. Read once at construction.
/// </summary>
/// <remarks>
/// With <see cref="FromNodePodCidr"/> (what <c>berth server</c> and <c>berth agent</c> use) the range is the Node's
/// <c>spec.podCIDR</c>, assigned by the node IPAM controller from the cluster CIDR, so several agents on one machine
/// never overlap; <see cref="PodCidr"/> is then unused. Without it the fixed <see cref="PodCidr"/> is used, and
/// nothing coordinates it with other agents (as upstream's host-local IPAM with a hand-set range).
/// </remarks>
public sealed class PodNetworkOptions
{
    /// <summary>The pod address range (<c>--pod-cidr</c>); must lie inside 127.0.0.0/8 with a prefix of /8 to /30.</summary>
    public string PodCidr { get; init; } = "127.1.0.0/16";

    /// <summary>
    /// Take the range from the Node's <c>spec.podCIDR</c> (delivered through <see cref="PodAddressAllocator.SetPodCidr"/>);
    /// until it arrives no address is handed out (the pod's sync fails and is retried), as a kubelet's network is not
    /// ready before its node has a podCIDR.
    /// </summary>
    public bool FromNodePodCidr { get; init; }

    /// <summary>The node's address, reported as every pod's <c>status.hostIP</c> (never handed to a pod).</summary>
    public string HostIP { get; init; } = "127.0.0.1";

    /// <summary>
    /// Directory holding <c>pod-ips.json</c>, the persisted allocations (the agent's state dir, as host-local IPAM
    /// keeps <c>/var/lib/cni/networks/&lt;net&gt;</c>). Created when missing.
    /// </summary>
    public required string StateDirectory { get; init; }
}
