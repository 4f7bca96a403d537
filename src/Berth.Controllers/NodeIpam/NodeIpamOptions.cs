namespace Berth.Controllers.NodeIpam;

/// <summary>Settings of <see cref="NodeIpamController"/> (kube-controller-manager <c>--cluster-cidr</c>, <c>--node-cidr-mask-size</c>).</summary>
public sealed record NodeIpamOptions
{
    /// <summary>The range every node's <c>spec.podCIDR</c> is cut from. Berth's pod addresses are loopback, so the default lies in 127.0.0.0/8.</summary>
    public string ClusterCidr { get; init; } = "127.1.0.0/16";

    /// <summary>Prefix length of each node's range; upstream's IPv4 default is 24 (254 pods per node).</summary>
    public int NodeCidrMaskSize { get; init; } = 24;
}
