namespace Berth.Kubelet;

/// <summary>
/// Settings of the node agent. Defaults equal the upstream kubelet's (KubeletConfiguration defaults in
/// kubernetes/kubernetes pkg/kubelet/apis/config/v1beta1/defaults.go and constants in pkg/kubelet/kubelet.go) unless
/// a member says otherwise. Read once at construction; not reloaded.
/// </summary>
public sealed class KubeletOptions
{
    /// <summary>The node this agent runs pods for (<c>spec.nodeName</c> it watches). Required.</summary>
    public required string NodeName { get; init; }

    /// <summary>Root of the agent's own state (kubelet <c>--root-dir</c>); pod directories live in <see cref="PodsDirectory"/>.</summary>
    public string RootDirectory { get; init; } = "/var/lib/berth/kubelet";

    /// <summary><c>&lt;root&gt;/pods</c>, as the kubelet's pods dir.</summary>
    public string PodsDirectory => Path.Combine(RootDirectory, "pods");

    /// <summary>
    /// How often a pod worker resyncs a pod without any event: the kubelet's <c>syncFrequency</c>, 1 min as upstream.
    /// Every change that matters reaches the worker as an event (API update, PLEG, probe result, back-off expiry), so
    /// the resync only re-applies what has no event: projected volume contents (ConfigMap, Secret, token) and drift.
    /// Each resync of a pod re-collects its volumes' sources, so this period is most of an idle node's CPU
    /// (100 idle pods: 1.85 % of a core at 10 s, docs/benchmarks.md "Session 10").
    /// </summary>
    public TimeSpan SyncFrequency { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the status manager re-checks every cached status against the API (upstream status manager <c>syncPeriod</c>, 10 s).</summary>
    public TimeSpan StatusSyncPeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the status manager holds back the first status of a pod whose containers are still being created
    /// (phase Pending, every container waiting in ContainerCreating or PodInitializing) before writing it, so that a
    /// pod that starts within this time reaches the API as Running in one write instead of two. Berth's choice
    /// (upstream writes it at once; its status manager coalesces only when its sync loop is behind); a pod that takes
    /// longer still shows ContainerCreating. Zero writes it at once.
    /// </summary>
    public TimeSpan PendingStatusHold { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Pods whose status the status manager writes at once (Berth's choice; upstream's status manager writes one pod
    /// at a time). Overlapping writes of different pods lets a burst's status updates share the store's group commits
    /// instead of queueing behind each other; 32 keeps a burst of 100 pods from queueing for a write slot (with 8, the
    /// last Running status of a warm burst was written up to ~200 ms after its container started, at load ≈ 15).
    /// </summary>
    public int MaxConcurrentStatusWrites { get; init; } = 32;

    /// <summary>Delay before a pod worker retries a sync that failed (kubelet <c>backOffPeriod</c>, 10 s).</summary>
    public TimeSpan SyncErrorBackOff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>First crash-loop back-off (kubelet <c>backOffPeriod</c>, 10 s).</summary>
    public TimeSpan CrashLoopBackOffInitial { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest crash-loop back-off (kubelet <c>MaxContainerBackOff</c>, 300 s); an entry resets after 2 × this of running.</summary>
    public TimeSpan CrashLoopBackOffMax { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>How often the PLEG relists the runtime to catch changes that no exit event announced (upstream 1 s).</summary>
    public TimeSpan RelistPeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often housekeeping runs (orphan cleanup, finished workers, container GC; upstream 2 s).</summary>
    public TimeSpan HousekeepingPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Run startup/readiness/liveness probes. Off makes every container started and ready while running.</summary>
    public bool EnableProbes { get; init; } = true;

    /// <summary>CPU cores reported for <c>resourceFieldRef</c> limits when a container sets none (node allocatable).</summary>
    public double NodeAllocatableCpu { get; init; } = Environment.ProcessorCount;

    /// <summary>Memory bytes reported for <c>resourceFieldRef</c> limits when a container sets none (node allocatable).</summary>
    public long NodeAllocatableMemory { get; init; } = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>
    /// Default upper bound of a graceful node shutdown (<see cref="Kubelet.ShutdownAsync"/>); upstream's
    /// <c>shutdownGracePeriod</c> defaults to 0 (disabled), Berth's server passes its own value.
    /// </summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether stopping the hosted agent (SIGTERM to <c>berth server</c>) runs a graceful node shutdown that terminates
    /// every pod (Berth's choice; upstream's default is 0 = disabled). When false, stopping leaves pods running for
    /// the next start to adopt, as a SIGKILL does.
    /// </summary>
    public bool TerminatePodsOnStop { get; init; } = true;

    /// <summary>Part of <see cref="ShutdownGracePeriod"/> reserved for critical pods (<c>shutdownGracePeriodCriticalPods</c>).</summary>
    public TimeSpan ShutdownGracePeriodCriticalPods { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Cluster DNS server IPs that ClusterFirst pods get as their only nameservers (kubelet <c>clusterDNS</c>; upstream
    /// default empty). Berth's cluster DNS listens on 127.96.0.10. Empty makes ClusterFirst fall back to Default.
    /// </summary>
    public IReadOnlyList<string> ClusterDns { get; init; } = ["127.96.0.10"];

    /// <summary>The cluster's DNS domain (kubelet <c>clusterDomain</c>), the base of the pods' search path.</summary>
    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>The host resolver file that Default pods copy and ClusterFirst pods take search domains from (kubelet <c>resolvConf</c>).</summary>
    public string ResolverConfig { get; init; } = "/etc/resolv.conf";
}
