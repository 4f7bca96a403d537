using Berth.Proxy.Model;
using Prometheus;

namespace Berth.Proxy.Metrics;

/// <summary>
/// The proxy's Prometheus series, in <paramref name="registry"/> (the one <c>/metrics</c> serves). Per-endpoint
/// counters are copied from <see cref="EndpointStatsRegistry"/> just before each scrape, so the connection path only
/// does interlocked adds; the kernel data path's counts (<see cref="EndpointStats.Kernel"/>) are added into the same
/// series, so a dashboard sees one set whichever path carried a connection. Series of endpoints that left and have no
/// connections are removed after one last export.
/// Labels: <c>namespace</c>, <c>service</c>, <c>port</c> (the port's name) and <c>endpoint</c> (IP:port).
/// </summary>
/// <remarks>Names follow kube-proxy's (pkg/proxy/metrics/metrics.go: network_programming_duration_seconds, sync_proxy_rules_duration_seconds).</remarks>
public sealed class ProxyMetrics
{
    private static readonly string[] EndpointLabels = ["namespace", "service", "port", "endpoint"];
    private static readonly string[] PortLabels = ["namespace", "service", "port"];

    private readonly EndpointStatsRegistry _stats;
    private readonly Gauge _active;
    private readonly Counter _total;
    private readonly Counter _bytesIn;
    private readonly Counter _bytesOut;
    private readonly Counter _dialFailures;
    private readonly Counter _rejected;
    private readonly Counter _kernel;
    private readonly Gauge _mode;

    public ProxyMetrics(CollectorRegistry registry, EndpointStatsRegistry stats)
    {
        _stats = stats;
        Registry = registry;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _active = factory.CreateGauge("berth_proxy_endpoint_active_connections", "Connections to the endpoint open now, per endpoint (user-space proxied plus kernel-routed).", EndpointLabels);
        _total = factory.CreateCounter("berth_proxy_endpoint_connections_total", "Connections to the endpoint opened, per endpoint (user-space proxied plus kernel-routed connects).", EndpointLabels);
        _bytesIn = factory.CreateCounter("berth_proxy_endpoint_bytes_in_total", "Bytes copied from clients to the endpoint.", EndpointLabels);
        _bytesOut = factory.CreateCounter("berth_proxy_endpoint_bytes_out_total", "Bytes copied from the endpoint to clients.", EndpointLabels);
        _dialFailures = factory.CreateCounter("berth_proxy_endpoint_dial_failures_total",
            "Connection attempts to the endpoint that failed before any byte was exchanged.", EndpointLabels);
        _kernel = factory.CreateCounter("berth_proxy_endpoint_kernel_connections_total",
            "Connects the kernel's socket load balancer (--proxy-mode ebpf) sent straight to the endpoint; the part of connections_total it carried.", EndpointLabels);
        _mode = factory.CreateGauge("berth_proxy_mode", "1 for the data path of ClusterIP connections in force (userspace or ebpf).", "mode");
        _rejected = factory.CreateCounter("berth_proxy_rejected_connections_total",
            "Accepted connections reset because the service port had no usable endpoint or every dial failed.", PortLabels);
        NetworkProgrammingLatency = factory.CreateHistogram("berth_proxy_network_programming_duration_seconds",
            "From an EndpointSlice change observed by the proxy to the snapshot (and listeners) applied.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16) });
        SyncDuration = factory.CreateHistogram("berth_proxy_sync_proxy_rules_duration_seconds", "Duration of one snapshot sync.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.00005, 2, 16) });
        registry.AddBeforeCollectCallback(Export);
    }

    public CollectorRegistry Registry { get; }

    public Histogram NetworkProgrammingLatency { get; }

    public Histogram SyncDuration { get; }

    /// <summary>Read just before each scrape (the kernel's counters are copied into the stats then); null in user-space mode.</summary>
    internal Action? RefreshKernelCounters { get; set; }

    /// <summary>Sets <c>berth_proxy_mode{mode}</c> to 1 for <paramref name="mode"/> and 0 for the others.</summary>
    public void SetMode(ProxyMode mode)
    {
        foreach (var value in Enum.GetValues<ProxyMode>())
        {
            _mode.WithLabels(ProxyModes.Name(value)).Set(value == mode ? 1 : 0);
        }
    }

    public void Rejected(ServicePortName port) => _rejected.WithLabels(port.Namespace, port.Name, port.Port).Inc();

    /// <summary>Copies the live counters into the series; runs on the scraping thread before each collection.</summary>
    private void Export()
    {
        RefreshKernelCounters?.Invoke();
        foreach (var stats in _stats.All)
        {
            var labels = new[] { stats.Port.Namespace, stats.Port.Name, stats.Port.Port, stats.Endpoint.ToString() };
            var kernel = stats.Kernel;
            _active.WithLabels(labels).Set(stats.ActiveConnections + kernel.Active);
            _total.WithLabels(labels).IncTo(stats.TotalConnections + kernel.Connects);
            _bytesIn.WithLabels(labels).IncTo(stats.BytesIn + kernel.BytesIn);
            _bytesOut.WithLabels(labels).IncTo(stats.BytesOut + kernel.BytesOut);
            _dialFailures.WithLabels(labels).IncTo(stats.DialFailures + kernel.DialFailures);
            _kernel.WithLabels(labels).IncTo(kernel.Connects);
            if (stats.Retired && stats.ExportedRetired && _stats.TryForget(stats))
            {
                _active.RemoveLabelled(labels);
                _total.RemoveLabelled(labels);
                _bytesIn.RemoveLabelled(labels);
                _bytesOut.RemoveLabelled(labels);
                _dialFailures.RemoveLabelled(labels);
                _kernel.RemoveLabelled(labels);
            }
            stats.ExportedRetired = stats.Retired;
        }
    }
}
