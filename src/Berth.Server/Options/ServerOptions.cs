using System.Net;

namespace Berth.Server.Options;

/// <summary>
/// Settings of <c>berth server</c>, one property per flag, with the defaults the CLI shows. Immutable; build
/// variants with <c>with</c>. Later components get their own options classes (StorageOptions, KubeletOptions…)
/// derived from this one by the composition root.
/// </summary>
public sealed record ServerOptions
{
    /// <summary>Holds the CA, serving certificate, token, kubeconfig and database. Created with mode 0700.</summary>
    public string DataDir { get; init; } = DefaultDataDir();

    /// <summary>HTTPS port; 0 lets the OS pick a free one (read it back from the started server).</summary>
    public int Port { get; init; } = 6443;

    /// <summary>The only address the API server listens on.</summary>
    public string BindAddress { get; init; } = "127.0.0.1";

    public StoreBackend Store { get; init; } = StoreBackend.Sqlite;

    /// <summary>The name of this machine's Node object.</summary>
    public string NodeName { get; init; } = DefaultNodeName();

    /// <summary>How long superseded revisions stay watchable before the compactor drops them.</summary>
    public TimeSpan HistoryRetention { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a stopping server waits for its components (pods, connections) before giving up.</summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Cluster IPs of Services come from here (<c>--service-cluster-ip-range</c>); must not overlap the pod range.</summary>
    public string ServiceClusterIPRange { get; init; } = "127.96.0.0/16";

    /// <summary>Node ports of Services come from here (<c>--service-node-port-range</c>).</summary>
    public string ServiceNodePortRange { get; init; } = "30000-32767";

    /// <summary>The Service allocator settings these options describe.</summary>
    public Berth.Registry.Core.Services.Allocation.ServiceAllocatorOptions ServiceAllocation() =>
        new() { ServiceClusterIPRange = ServiceClusterIPRange, ServiceNodePortRange = ServiceNodePortRange, ClusterDnsIp = ClusterDns };

    /// <summary>The address the cluster DNS server listens on (UDP and TCP).</summary>
    public string ClusterDns { get; init; } = "127.96.0.10";

    /// <summary>The cluster DNS port; 0 turns cluster DNS off.</summary>
    public int DnsPort { get; init; } = 53;

    /// <summary>The cluster domain that cluster DNS answers for.</summary>
    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>
    /// The range each node's <c>spec.podCIDR</c> (a /24) is cut from by the node IPAM controller; inside 127.0.0.0/8,
    /// because pod addresses are loopback addresses.
    /// </summary>
    public string ClusterCidr { get; init; } = "127.1.0.0/16";

    /// <summary>
    /// <c>--disable-kube-proxy</c> (k3s's flag): no service proxy in this process, e.g. because a <c>berth agent
    /// --proxy</c> on the same machine serves the ClusterIPs (all nodes share the machine's loopback).
    /// </summary>
    public bool DisableKubeProxy { get; init; }

    /// <summary>
    /// <c>--proxy-mode</c> (kube-proxy's flag): <c>ebpf</c> (the default), which adds the kernel's socket-level load
    /// balancing of ClusterIP TCP connects in front of the user-space listeners and falls back to user space where the
    /// machine does not allow it, or <c>userspace</c> (docs/deviations.md).
    /// </summary>
    public Berth.Proxy.ProxyMode ProxyMode { get; init; } = Berth.Proxy.ProxyMode.Ebpf;

    /// <summary>
    /// <c>--warm-up-pod-path</c>: once ready, run the pod-creation path once without creating anything
    /// (<c>PodPathWarmup</c>), so the first burst of pods does not pay for it. Off by default: it leaves ~5 MiB more
    /// resident (compiled code, types and serializer metadata a server that never runs a pod does not need), which the
    /// idle-memory target of issue 2 (3,000 stored pods, none running) has no room for. Only when the server owns its process.
    /// </summary>
    public bool WarmUpPodPath { get; init; }

    /// <summary>
    /// <c>--max-pod-starts-inflight</c>: seats of pod-start flow control (<c>PodStartQueue</c>): pods created for this node
    /// and not yet taken up by it before further pod creates wait, first come first served (at most 1 s). 0 turns it
    /// off. Named after the API server's <c>--max-mutating-requests-inflight</c>; docs/deviations.md.
    /// </summary>
    public int MaxPodStartsInflight { get; init; } = DefaultMaxPodStartsInflight;

    /// <summary>
    /// Six per core, at least 12: enough pods in flight to keep every core busy, few enough to start them in order
    /// (on 2 cores, 12 started bursts fastest of 6, 8 and 12, with a p99 within their spread: docs/benchmarks.md).
    /// </summary>
    public static int DefaultMaxPodStartsInflight => Math.Max(12, 6 * Environment.ProcessorCount);

    public static string DefaultDataDir() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".berth");

    public static string DefaultNodeName() => Environment.MachineName.ToLowerInvariant();

    /// <summary>The bind address as an <see cref="IPAddress"/>; <c>localhost</c> means 127.0.0.1.</summary>
    public IPAddress BindIPAddress() =>
        BindAddress.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.Parse(BindAddress);

    /// <summary>Every problem with these options, as messages for the user; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(DataDir))
        {
            errors.Add("--data-dir must not be empty");
        }
        if (MaxPodStartsInflight < 0)
        {
            errors.Add($"--max-pod-starts-inflight must not be negative, got {MaxPodStartsInflight}");
        }
        if (Port is < 0 or > 65535)
        {
            errors.Add($"--port must be between 0 and 65535, got {Port}");
        }
        if (!BindAddress.Equals("localhost", StringComparison.OrdinalIgnoreCase) && !IPAddress.TryParse(BindAddress, out _))
        {
            errors.Add($"--bind must be an IP address, got \"{BindAddress}\"");
        }
        if (string.IsNullOrWhiteSpace(NodeName))
        {
            errors.Add("--node-name must not be empty");
        }
        if (HistoryRetention <= TimeSpan.Zero)
        {
            errors.Add("--history-retention must be positive");
        }
        var cidrError = ClusterCidrError(ClusterCidr);
        if (cidrError is not null)
        {
            errors.Add(cidrError);
        }
        if (ShutdownGracePeriod < TimeSpan.Zero)
        {
            errors.Add("--shutdown-grace-period must not be negative");
        }
        errors.AddRange(cidrError is null ? ServiceAllocation().Validate(ClusterCidr) : ServiceAllocation().Validate());
        ValidateClusterDns(errors);
        return errors;
    }

    private void ValidateClusterDns(List<string> errors)
    {
        if (!IPAddress.TryParse(ClusterDns, out _))
        {
            errors.Add($"--cluster-dns must be an IP address, got \"{ClusterDns}\"");
        }
        if (DnsPort is < 0 or > 65535)
        {
            errors.Add($"--dns-port must be between 0 and 65535, got {DnsPort}");
        }
        if (string.IsNullOrWhiteSpace(ClusterDomain) || ClusterDomain.Contains(' ', StringComparison.Ordinal))
        {
            errors.Add($"--cluster-domain must be a domain name, got \"{ClusterDomain}\"");
        }
    }

    /// <summary>Why <paramref name="cidr"/> cannot be the cluster CIDR (an IPv4 CIDR inside 127.0.0.0/8, /8 to /24), or null.</summary>
    private static string? ClusterCidrError(string cidr)
    {
        if (!IPNetwork.TryParse(cidr, out var network) || network.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return $"--cluster-cidr must be an IPv4 CIDR such as 127.1.0.0/16, got \"{cidr}\"";
        }
        if (network.PrefixLength is < 8 or > 24 || network.BaseAddress.GetAddressBytes()[0] != 127)
        {
            return $"--cluster-cidr must lie inside 127.0.0.0/8 with a prefix between /8 and /24, got \"{cidr}\"";
        }
        return null;
    }
}
