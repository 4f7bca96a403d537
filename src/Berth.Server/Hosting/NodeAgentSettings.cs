namespace Berth.Server.Hosting;

/// <summary>
/// What distinguishes one node agent from another on the same machine: its node name, its state directory (pods,
/// containers, logs, pod-ips.json — adoption after a restart only looks there) and the cgroup its containers live
/// in. <c>berth server</c> uses <c>&lt;data-dir&gt;/kubelet</c> and <c>berth.slice</c>; each <c>berth agent</c> uses
/// its own data dir and <c>berth-&lt;node&gt;.slice</c>, so two nodes never adopt or kill each other's containers.
/// </summary>
internal sealed record NodeAgentSettings(string NodeName, string RootDirectory, TimeSpan ShutdownGracePeriod, string CgroupName)
{
    /// <summary>
    /// Nameservers written into ClusterFirst pods' resolv.conf. Empty when cluster DNS is off or not on port 53 (a
    /// resolv.conf cannot name a port): pods then resolve through the host, as a kubelet without clusterDNS does.
    /// </summary>
    public IReadOnlyList<string> ClusterDns { get; init; } = ["127.96.0.10"];

    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>The cgroup of a standalone agent's containers: <c>berth-&lt;node&gt;.slice</c> (node names are DNS subdomains, safe as a directory name).</summary>
    public static string AgentCgroupName(string nodeName) => $"berth-{nodeName}.slice";
}
