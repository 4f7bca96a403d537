using System.Net;
using Berth.Proxy;
using Berth.Proxy.Metrics;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace Berth.UnitTests.Proxy;

/// <summary>A <see cref="Proxier"/> with its own metrics registry, fed directly (no informers) and synced on demand.</summary>
internal sealed class ProxierHarness : IAsyncDisposable
{
    public ProxierHarness(ProxyOptions? options = null, TimeProvider? time = null)
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Stats = new EndpointStatsRegistry();
        Metrics = new ProxyMetrics(Registry, Stats);
        Proxier = new Proxier(options ?? new ProxyOptions { NodePortAddress = null }, Metrics, Stats,
            time ?? TimeProvider.System, NullLoggerFactory.Instance);
    }

    public CollectorRegistry Registry { get; }

    public EndpointStatsRegistry Stats { get; }

    public ProxyMetrics Metrics { get; }

    public Proxier Proxier { get; }

    public async Task ApplyAsync(V1Service? service = null, params V1EndpointSlice[] slices)
    {
        if (service is not null)
        {
            Proxier.OnServiceUpdate(null, service);
        }
        foreach (var slice in slices)
        {
            Proxier.OnEndpointSliceUpdate(slice, removed: false);
        }
        await Proxier.SyncAsync().DefaultTimeout();
    }

    public async Task<string> ScrapeAsync()
    {
        using var stream = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(stream).DefaultTimeout();
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public ValueTask DisposeAsync() => Proxier.DisposeAsync();

    public static IPEndPoint At(IPAddress ip, int port = 80) => new(ip, port);
}
