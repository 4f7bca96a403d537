using System.Collections.Immutable;
using System.Net;
using System.Threading.Channels;
using Berth.Proxy.Affinity;
using Berth.Proxy.Forwarding;
using Berth.Proxy.Forwarding.Linux;
using Berth.Proxy.Kernel;
using Berth.Proxy.LoadBalancing;
using Berth.Proxy.Listening;
using Berth.Proxy.Metrics;
using Berth.Proxy.Model;
using Berth.Proxy.Tracking;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Proxy;

/// <summary>
/// The proxy core. Informer handlers feed <see cref="OnServiceUpdate"/> and <see cref="OnEndpointSliceUpdate"/>
/// (thread-safe, cheap: they record the change and wake the sync loop). The sync loop (<see cref="RunAsync"/>, or
/// <see cref="SyncAsync"/> directly) takes the pending changes, rebuilds only the changed services' entries,
/// publishes the new immutable <see cref="ProxySnapshot"/> (<see cref="Volatile.Write{T}(ref T, T)"/>), then opens
/// and closes listeners, and records the programming latency. There is no minimum sync period: while the loop runs, a
/// handler whose change finds no sync under way applies it itself, on the informer's delivery thread (the snapshot is
/// published before the handler returns; only closing a listener may finish later), and otherwise wakes the loop,
/// which applies it after the sync under way. So a change costs no extra thread-pool hop, which under CPU contention
/// was one of the slow hops between a DELETE and the proxy routing away (docs/benchmarks.md, "Session 6: proxy").
/// The connection path only reads <see cref="Snapshot"/>.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/proxy/iptables/proxier.go (Proxier, syncProxyRules, OnServiceUpdate, OnEndpointSliceUpdate).</remarks>
public sealed partial class Proxier : IAsyncDisposable
{
    private readonly ServiceChangeTracker _serviceChanges = new();
    private readonly EndpointsChangeTracker _endpointChanges;
    private readonly Dictionary<ServiceKey, ImmutableArray<ServicePortInfo>> _services = [];
    private readonly Dictionary<ServiceKey, Dictionary<string, ImmutableArray<EndpointInfo>>> _endpoints = [];
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _syncGate = new(1, 1);
    private readonly EndpointStatsRegistry _stats;
    private readonly ProxyMetrics _metrics;
    private readonly ListenerSet _listeners;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string? _nodeName;
    private readonly SocketLoadBalancer? _socketLb;
    private ProxySnapshot _snapshot = ProxySnapshot.Empty;
    private volatile bool _inline;
    private bool _stopped;

    public Proxier(ProxyOptions options, ProxyMetrics metrics, EndpointStatsRegistry stats, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _time = time;
        _nodeName = options.NodeName;
        _stats = stats;
        _metrics = metrics;
        _logger = loggerFactory.CreateLogger<Proxier>();
        _endpointChanges = new EndpointsChangeTracker(time);
        Affinity = new SessionAffinityTable(time);
        ILoadBalancingPolicy policy = options.LoadBalancing == LoadBalancingMode.LeastConnections ? new LeastConnectionsPolicy() : new RoundRobinPolicy();
        IForwarder forwarder = options.Forwarding == ForwardingMode.EventLoop && OperatingSystem.IsLinux()
            ? new EventLoopForwarder(options.RelayLoops, RelayLoopSettings.From(options), time, loggerFactory.CreateLogger<EventLoopForwarder>())
            : new AsyncForwarder(options.BufferSize, time);
        var dialer = new EndpointDialer(policy, Affinity, forwarder, options, loggerFactory.CreateLogger<EndpointDialer>());
        Connections = new ConnectionHandler(() => Snapshot, dialer, forwarder, metrics, loggerFactory.CreateLogger<ConnectionHandler>());
        Datagrams = new DatagramHandler(() => Snapshot, policy, Affinity, options, time, loggerFactory.CreateLogger<DatagramHandler>());
        _listeners = new ListenerSet(Connections, Datagrams, options, loggerFactory.CreateLogger<ListenerSet>());
        _socketLb = options.Mode == ProxyMode.Ebpf ? AttachSocketLoadBalancer(options.CgroupRoot) : null;
        Mode = _socketLb is null ? ProxyMode.Userspace : ProxyMode.Ebpf;
        metrics.SetMode(Mode);
        HostPorts = options is { NodeName: { } node, NodePortAddress: { } address } ? new HostPorts.HostPortMapper(this, node, address) : null;
    }

    /// <summary>The data path in force: <see cref="ProxyOptions.Mode"/>, or <see cref="ProxyMode.Userspace"/> when eBPF was asked for and is not available.</summary>
    public ProxyMode Mode { get; }

    /// <summary>The snapshot in force. Lock-free; never null.</summary>
    public ProxySnapshot Snapshot => Volatile.Read(ref _snapshot);

    public SessionAffinityTable Affinity { get; }

    /// <summary>True while the sync loop runs after its first sync: a handler's change is then applied on its own thread when no sync is under way.</summary>
    internal bool AppliesInline => _inline;

    public ConnectionHandler Connections { get; }

    /// <summary>The addresses listening after the latest sync (TCP and UDP). Read it from the sync loop or after <see cref="SyncAsync"/> returned.</summary>
    public IReadOnlyCollection<ListenAddress> ListeningAddresses => _listeners.OpenAddresses;

    /// <summary>The UDP side of the proxy: its client flows.</summary>
    public DatagramHandler Datagrams { get; }

    /// <summary>The pods' host ports on this node (<see cref="ProxyOptions.NodeName"/>), or null without a node name or node address.</summary>
    public HostPorts.HostPortMapper? HostPorts { get; }

    /// <summary>Raised by the sync loop after a snapshot and its listeners were applied (benchmarks and tests watch it).</summary>
    public event Action<ProxySnapshot>? SnapshotApplied;

    public void OnServiceUpdate(V1Service? previous, V1Service? current)
    {
        if (_serviceChanges.Update(previous, current))
        {
            Changed();
        }
    }

    public void OnEndpointSliceUpdate(V1EndpointSlice slice, bool removed)
    {
        if (_endpointChanges.EndpointSliceUpdate(slice, removed))
        {
            Changed();
        }
    }

    /// <summary>Applies the pending changes on this thread when the loop runs and no sync is under way, else wakes the loop.</summary>
    private void Changed()
    {
        try
        {
            if (_inline && _syncGate.Wait(0))
            {
                _ = SyncInlineAsync();
                return;
            }
        }
        catch (ObjectDisposedException)
        {
            // Disposed while the informers still deliver: nothing to apply any more.
            return;
        }
        _wake.Writer.TryWrite(true);
    }

    /// <summary>A sync started by a handler, with the gate already held; a failure is logged and left to the loop.</summary>
    private async Task SyncInlineAsync()
    {
        try
        {
            await SyncHeldAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.InlineSyncFailed(_logger, ex);
            _wake.Writer.TryWrite(true);
        }
    }

    /// <summary>Runs the sync loop until <paramref name="cancellationToken"/> fires: one sync now, then one per wake-up.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SyncAsync().ConfigureAwait(false);
            _inline = true;
            while (await _wake.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) && _wake.Reader.TryRead(out _))
            {
                await SyncAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            _inline = false;
        }
    }

    /// <summary>Applies every pending change now. Serialised: concurrent callers wait for each other.</summary>
    public async Task SyncAsync()
    {
        await _syncGate.WaitAsync().ConfigureAwait(false);
        await SyncHeldAsync().ConfigureAwait(false);
    }

    /// <summary>The sync itself, called with the gate held; releases it. Does nothing once <see cref="StopAsync"/> ran.</summary>
    private async Task SyncHeldAsync()
    {
        try
        {
            if (_stopped)
            {
                return;
            }
            var started = _time.GetTimestamp();
            var serviceChanges = _serviceChanges.Checkout();
            var endpointChanges = _endpointChanges.Checkout();
            var changed = ApplyChanges(serviceChanges, endpointChanges);
            ProgramKernel(changed);
            ProgramKernel(await _listeners.ReconcileAsync(Snapshot, changed).ConfigureAwait(false));
            _metrics.SyncDuration.Observe(_time.GetElapsedTime(started).TotalSeconds);
            foreach (var change in endpointChanges.Values)
            {
                _metrics.NetworkProgrammingLatency.Observe(_time.GetElapsedTime(change.ObservedTimestamp).TotalSeconds);
            }
            SnapshotApplied?.Invoke(Snapshot);
        }
        finally
        {
            _syncGate.Release();
        }
    }

    /// <summary>Rebuilds the entries of changed services and publishes the snapshot; returns the service ports whose entry changed.</summary>
    private List<ServicePortName> ApplyChanges(Dictionary<ServiceKey, ImmutableArray<ServicePortInfo>> serviceChanges,
        Dictionary<ServiceKey, EndpointsChange> endpointChanges)
    {
        var current = Snapshot;
        var ports = current.Ports.ToBuilder();
        var changed = new List<ServicePortName>();
        foreach (var key in serviceChanges.Keys.Union(endpointChanges.Keys))
        {
            var oldPorts = _services.GetValueOrDefault(key, []);
            if (serviceChanges.TryGetValue(key, out var newPorts))
            {
                _ = newPorts.IsEmpty ? _services.Remove(key) : _services.TryAdd(key, newPorts) || Replace(_services, key, newPorts);
            }
            if (endpointChanges.TryGetValue(key, out var endpoints))
            {
                _ = endpoints.Endpoints.Count == 0 ? _endpoints.Remove(key) : _endpoints.TryAdd(key, endpoints.Endpoints) || Replace(_endpoints, key, endpoints.Endpoints);
            }
            foreach (var old in oldPorts)
            {
                ports.Remove(old.Name);
                changed.Add(old.Name);
            }
            foreach (var info in _services.GetValueOrDefault(key, []))
            {
                ports[info.Name] = BuildPortState(info, _endpoints.GetValueOrDefault(key));
                changed.Add(info.Name);
            }
        }
        var gone = changed.Where(name => !ports.ContainsKey(name)).ToList();
        foreach (var name in gone)
        {
            _stats.RetireExcept(name, new HashSet<IPEndPoint>());
        }
        Affinity.RemoveServicePorts(gone);
        Volatile.Write(ref _snapshot, new ProxySnapshot(ports.ToImmutable(), current.Generation + 1));
        return changed.Distinct().ToList();
    }

    /// <summary>
    /// The entry of one service port: its cluster endpoints, or under <c>internalTrafficPolicy: Local</c> this node's
    /// endpoints for ClusterIP traffic plus the cluster ones for its NodePort (<see cref="ServicePortState.External"/>).
    /// </summary>
    private ServicePortState BuildPortState(ServicePortInfo info, Dictionary<string, ImmutableArray<EndpointInfo>>? endpoints)
    {
        var all = endpoints?.GetValueOrDefault(info.Name.Port, []) ?? [];
        var cluster = Topology.CategorizeEndpoints(all);
        if (!info.InternalLocal)
        {
            _stats.RetireExcept(info.Name, cluster.Usable.Select(e => e.Address).ToHashSet());
            return new ServicePortState(info, all, Proxied(info, cluster.Usable), cluster.UsingTerminating);
        }
        var local = Topology.CategorizeLocalEndpoints(all, _nodeName);
        var external = info.NodePort > 0 || info.ExternalAddresses is { Count: > 0 } ? new ServicePortState(info, all, Proxied(info, cluster.Usable), cluster.UsingTerminating) : null;
        _stats.RetireExcept(info.Name, local.Usable.Concat(external is null ? [] : cluster.Usable).Select(e => e.Address).ToHashSet());
        return new ServicePortState(info, all, Proxied(info, local.Usable), local.UsingTerminating, external);
    }

    /// <summary>Attaches the kernel data path, or logs once why it cannot and returns null (user-space mode).</summary>
    private SocketLoadBalancer? AttachSocketLoadBalancer(string? cgroupRoot)
    {
        var lb = SocketLoadBalancer.TryAttach(_stats, cgroupRoot, out var reason);
        if (lb is null)
        {
            Log.KernelPathUnavailable(_logger, reason);
            return null;
        }
        _metrics.RefreshKernelCounters = lb.RefreshCounters;
        Log.KernelPathAttached(_logger, reason);
        return lb;
    }

    /// <summary>
    /// Writes the changed service ports into the kernel's maps (eBPF mode): once right after the snapshot was published
    /// (updates, and removals before their listeners close), and again for the ports whose listener the reconcile then
    /// opened. A port is programmed only while this proxy's listener holds its ClusterIP:port, so a server never
    /// takes over connects to an address another server bound.
    /// </summary>
    private void ProgramKernel(List<ServicePortName> changed)
    {
        if (_socketLb is null || changed.Count == 0)
        {
            return;
        }
        foreach (var (port, error) in _socketLb.Apply(Snapshot, changed, OwnsClusterIP))
        {
            Log.KernelProgrammingFailed(_logger, port.ToString(), error);
        }
    }

    private bool OwnsClusterIP(ServicePortState state) =>
        _listeners.IsOpen(new ListenAddress(new IPEndPoint(state.Info.ClusterIP, state.Info.Port), state.Info.Protocol));

    private ImmutableArray<ProxyEndpoint> Proxied(ServicePortInfo info, ImmutableArray<EndpointInfo> usable) =>
        [.. usable.Select(e => new ProxyEndpoint(e.Address, _stats.GetOrAdd(info.Name, e.Address)))];

    private static bool Replace<T>(Dictionary<ServiceKey, T> map, ServiceKey key, T value)
    {
        map[key] = value;
        return true;
    }

    /// <summary>Closes every listener, then resets the connections still open (bounded by <paramref name="cancellationToken"/>).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _inline = false;
        await _syncGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _stopped = true;
            _socketLb?.Dispose();
            await _listeners.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _syncGate.Release();
        }
        await Connections.StopAsync(_time, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _syncGate.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4103, EventName = "InlineSyncFailed", Level = LogLevel.Error,
            Message = "A proxy sync started by an informer handler failed; the sync loop retries it")]
        public static partial void InlineSyncFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 4107, EventName = "KernelPathUnavailable", Level = LogLevel.Warning,
            Message = "Service proxy mode ebpf (the default) is not available here ({Reason}); serving ClusterIPs in user space")]
        public static partial void KernelPathUnavailable(ILogger logger, string reason);

        [LoggerMessage(EventId = 4108, EventName = "KernelPathAttached", Level = LogLevel.Information,
            Message = "Service proxy mode ebpf: {Detail}; ClusterIP TCP connects are load-balanced in the kernel")]
        public static partial void KernelPathAttached(ILogger logger, string detail);

        [LoggerMessage(EventId = 4109, EventName = "KernelProgrammingFailed", Level = LogLevel.Warning,
            Message = "Service port {ServicePort} could not be written to the kernel's maps; its user-space listener serves it")]
        public static partial void KernelProgrammingFailed(ILogger logger, string servicePort, Exception exception);
    }
}
