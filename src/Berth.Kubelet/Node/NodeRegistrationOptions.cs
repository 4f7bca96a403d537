namespace Berth.Kubelet.Node;

/// <summary>
/// Settings of node registration, status updates and the heartbeat lease. Defaults equal the upstream kubelet's
/// (KubeletConfiguration defaults) unless a member says otherwise. Read once at construction.
/// </summary>
public sealed class NodeRegistrationOptions
{
    /// <summary>The Node object's name (<c>--node-name</c>; the host name unless given). Required.</summary>
    public required string NodeName { get; init; }

    /// <summary>The <c>kubernetes.io/hostname</c> label and <c>Hostname</c> address; <see cref="NodeName"/> when null (upstream --hostname-override).</summary>
    public string? Hostname { get; init; }

    /// <summary>The node's address (<c>InternalIP</c>), also every pod's hostIP.</summary>
    public string InternalIP { get; init; } = "127.0.0.1";

    /// <summary>Extra labels registered with the node (<c>--node-labels</c>); default labels win on conflicts.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Pod capacity (<c>maxPods</c>, 110).</summary>
    public int MaxPods { get; init; } = 110;

    /// <summary>Informational <c>spec.podCIDR</c>: the loopback range pod IPs come from (<c>--pod-cidr</c>); unset when null.</summary>
    public string? PodCidr { get; init; }

    /// <summary>The directory whose file system is reported as <c>ephemeral-storage</c> (the agent's root dir); omitted when it cannot be read.</summary>
    public string? RootDirectory { get; init; }

    /// <summary>How often the node status is computed and written when it changed (<c>nodeStatusUpdateFrequency</c>, 10 s).</summary>
    public TimeSpan NodeStatusUpdateFrequency { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the status is written even when unchanged (<c>nodeStatusReportFrequency</c>, 5 min).</summary>
    public TimeSpan NodeStatusReportFrequency { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary><c>spec.leaseDurationSeconds</c> of the node lease (<c>nodeLeaseDurationSeconds</c>, 40).</summary>
    public int NodeLeaseDurationSeconds { get; init; } = 40;

    /// <summary>How often the lease is renewed: upstream's 0.25 × lease duration (10 s).</summary>
    public TimeSpan LeaseRenewInterval => TimeSpan.FromSeconds(NodeLeaseDurationSeconds * 0.25);

    /// <summary>Memory held back from allocatable: the default hard eviction threshold <c>memory.available&lt;100Mi</c>.</summary>
    public long EvictionHardMemoryBytes { get; init; } = 100L * 1024 * 1024;

    /// <summary>Share of ephemeral storage held back from allocatable: the default hard eviction threshold <c>nodefs.available&lt;10%</c>.</summary>
    public double EvictionHardNodeFsFraction { get; init; } = 0.10;

    /// <summary>
    /// Annotations the agent owns on its Node (set at registration and reconciled when the Node exists), e.g. a
    /// standalone agent's <c>berth.dev/kubelet-serving-cert-sha256</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The kubelet port shown in <c>status.daemonEndpoints</c>: where a standalone <c>berth agent</c> serves pod logs and
    /// exec for the API server (the in-process node serves none; the value is then informational).
    /// </summary>
    public int KubeletPort { get; init; } = 10250;
}
