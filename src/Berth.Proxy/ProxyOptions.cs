using System.Net;

namespace Berth.Proxy;

/// <summary>
/// Settings of the service proxy. Immutable; read once when the proxy starts.
/// Mirrors the relevant flags of kube-proxy (cmd/kube-proxy/app/options.go: --nodeport-addresses).
/// </summary>
public sealed record ProxyOptions
{
    /// <summary>Where NodePort listeners bind (the server's <c>--bind</c> address); null disables NodePorts.</summary>
    public IPAddress? NodePortAddress { get; init; } = IPAddress.Loopback;

    /// <summary>
    /// The node this proxy runs for (kube-proxy's <c>--hostname-override</c>): endpoints whose <c>nodeName</c> is this
    /// one are local, which <c>internalTrafficPolicy: Local</c> restricts ClusterIP traffic to. Null: no endpoint is local.
    /// </summary>
    public string? NodeName { get; init; }

    /// <summary>
    /// Which data path serves ClusterIP connections (kube-proxy's <c>--proxy-mode</c>). <see cref="ProxyMode.Ebpf"/>
    /// adds the kernel's socket-level load balancing in front of the user-space listeners, which stay as they are;
    /// it falls back to <see cref="ProxyMode.Userspace"/> with a warning when the machine does not allow it. The
    /// library default is user space (the agent's proxy and the engine's own tests); <c>berth server</c> defaults to
    /// <see cref="ProxyMode.Ebpf"/>.
    /// </summary>
    public ProxyMode Mode { get; init; } = ProxyMode.Userspace;

    /// <summary>
    /// The cgroup2 directory the <see cref="ProxyMode.Ebpf"/> program attaches to (Cilium's <c>--cgroup-root</c>):
    /// connects of processes in it and below are load-balanced. Null: the root of the cgroup2 mount, i.e. every process.
    /// </summary>
    public string? CgroupRoot { get; init; }

    /// <summary>How new connections are spread over the usable endpoints of a service port.</summary>
    public LoadBalancingMode LoadBalancing { get; init; } = LoadBalancingMode.RoundRobin;

    /// <summary>
    /// How long one connection attempt to an endpoint may take before the next endpoint is tried. Loopback pods
    /// accept or refuse at once, so this only bounds a pod whose listen backlog is full.
    /// </summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Size of the copy buffers: of each direction of a connection (async), or of the loop's shared read buffer (event loop).</summary>
    public int BufferSize { get; init; } = 16 * 1024;

    /// <summary>Backlog of each listener.</summary>
    public int ListenBacklog { get; init; } = 512;

    /// <summary>
    /// How connections are dialed and copied. <see cref="ForwardingMode.EventLoop"/> by default since session 10: with
    /// its busy-poll, one keep-alive client sees 0.87–0.93× direct throughput and +4…+12 µs p50 against async's
    /// 0.50–0.61× and +39…+51 µs, and DELETE → routed-away stays within 20 ms (docs/benchmarks.md, "Session 10: proxy").
    /// Sessions 5 and 6 had kept async for the propagation tail with back-to-back probes on a loaded machine, which
    /// async partly hides (its probes stall with the control path). The event loop needs Linux and falls back to
    /// async elsewhere. The environment variable <c>BERTH_PROXY_FORWARDING</c> (<c>async</c> or <c>event-loop</c>)
    /// overrides the default, so that one build can be compared both ways (bench/Berth.Bench.Proxy).
    /// </summary>
    public ForwardingMode Forwarding { get; init; } = ForwardingModes.FromEnvironment(ForwardingMode.EventLoop);

    /// <summary>Event-loop threads of <see cref="ForwardingMode.EventLoop"/> (connections are spread over them); one per core, at most four, by default.</summary>
    public int RelayLoops { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>
    /// The nice value of the event-loop threads (0 leaves them at the process's). 5 by default: when every core is
    /// busy, relaying yields to the thread-pool work that applies endpoint changes; at nice 0 a saturated loop delayed
    /// each hop of that path, and the DELETE → routed-away tail grew (docs/benchmarks.md, "Session 6: proxy").
    /// </summary>
    public int RelayLoopNice { get; init; } = 5;

    /// <summary>
    /// How long an event-loop thread keeps polling without sleeping after a wake-up that had work, before it blocks
    /// in epoll_wait (<see cref="Forwarding.Linux.BusyPoll"/>); zero turns it off, and a one-core machine never
    /// spins. 50 µs by default: a loopback reply or next request that arrives within it costs the loop no wake-up,
    /// which is most of a proxied hop's cost (docs/benchmarks.md, "Session 10: proxy busy-poll"). An idle proxy
    /// does not spin; a busy one spends up to this much CPU per wake-up that finds nothing more to do.
    /// </summary>
    public TimeSpan RelayBusyPoll { get; init; } = TimeSpan.FromMicroseconds(50);

    /// <summary>
    /// How long a UDP client flow (client address:port → the endpoint it was given) lives without a datagram in
    /// either direction before it is forgotten and the client's next datagram is balanced again, unless it became a
    /// stream (<see cref="UdpStreamTimeout"/>). Linux conntrack's default for such a UDP flow (<c>nf_conntrack_udp_timeout</c>, 30 s), which
    /// is what kube-proxy's DNAT rules ride on.
    /// </summary>
    public TimeSpan UdpTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The same for a flow that went on after the endpoint's first reply (the client wrote again):
    /// conntrack's <c>nf_conntrack_udp_timeout_stream</c> (120 s).
    /// </summary>
    public TimeSpan UdpStreamTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Client flows one UDP service socket keeps at most (each holds a socket). When it is full, a datagram that needs
    /// a new flow is dropped, as conntrack drops packets when its table is full.
    /// </summary>
    public int UdpMaxFlows { get; init; } = 8192;
}

/// <summary>The data path of ClusterIP connections; the names are the values of <c>--proxy-mode</c>.</summary>
public enum ProxyMode
{
    /// <summary>Every connection goes through the proxy's listeners (accept, dial the endpoint, copy bytes).</summary>
    Userspace,

    /// <summary>
    /// A cgroup/connect4 eBPF program rewrites a local TCP connect to ClusterIP:port into a connect to a chosen
    /// endpoint that has a listener, so the proxy is not on the path, and a sock_ops program counts the connection's
    /// life and bytes (<see cref="Kernel.SocketLoadBalancer"/>); NodePorts, UDP, ClientIP affinity and connects it
    /// passes through are served by the user-space listeners. Needs root and cgroup2.
    /// </summary>
    Ebpf,
}

/// <summary>The engine that dials backends and copies the bytes of proxied connections.</summary>
public enum ForwardingMode
{
    /// <summary>An epoll loop of the proxy's own: one wake-up per forwarded read, no thread-pool dispatch (Linux).</summary>
    EventLoop,

    /// <summary>The runtime's async sockets: a socket-thread wake-up and a thread-pool dispatch per forwarded read.</summary>
    Async,
}

/// <summary>The load-balancing policy of new connections.</summary>
public enum LoadBalancingMode
{
    /// <summary>Each new connection goes to the next usable endpoint (kube-proxy iptables mode picks at random instead).</summary>
    RoundRobin,

    /// <summary>Each new connection goes to the usable endpoint with the fewest active connections (IPVS <c>lc</c>).</summary>
    LeastConnections,
}
