using System.Net;
using Berth.Proxy;
using Berth.Proxy.Metrics;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Bench.Proxy;

/// <summary>
/// Overhead: the same small HTTP requests straight to a backend and through the proxy core (in this process, a real
/// listener on a ClusterIP), alternating direct and proxied phases in one run. Keep-alive and new connection per
/// request; 1 and 8 closed-loop clients.
/// </summary>
internal static class OverheadBench
{
    public static async Task RunAsync(bool quick, TextWriter report)
    {
        var backendAddress = new IPEndPoint(IPAddress.Parse("127.103.0.2"), 8080);
        var clusterIP = IPAddress.Parse("127.103.1.2");
        await using var backend = new TinyHttpServer(backendAddress);
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var stats = new EndpointStatsRegistry();
        await using var proxier = new Proxier(new ProxyOptions { NodePortAddress = null }, new ProxyMetrics(registry, stats), stats,
            TimeProvider.System, NullLoggerFactory.Instance);
        proxier.OnServiceUpdate(null, Objects.Service("bench", "web", clusterIP));
        proxier.OnEndpointSliceUpdate(Objects.Slice("bench", "web", "web-1", [backendAddress], new HashSet<int>()), removed: false);
        await proxier.SyncAsync();
        var proxied = new IPEndPoint(clusterIP, 80);
        var duration = TimeSpan.FromSeconds(quick ? 1 : 4);
        await HttpLoad.RunAsync(backendAddress, 2, true, TimeSpan.FromSeconds(1));
        await HttpLoad.RunAsync(proxied, 2, true, TimeSpan.FromSeconds(1));

        report.WriteLine("#### Overhead: small HTTP/1.1 requests, direct vs through the proxy (in process, closed loop)");
        report.WriteLine();
        report.WriteLine("| connections | clients | direct req/s | proxy req/s | ratio | direct p50 µs | proxy p50 µs | Δp50 µs | direct p99 µs | proxy p99 µs | errors |");
        report.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var keepAlive in new[] { true, false })
        {
            foreach (var clients in new[] { 1, 8 })
            {
                var direct = await HttpLoad.RunAsync(backendAddress, clients, keepAlive, duration);
                var viaProxy = await HttpLoad.RunAsync(proxied, clients, keepAlive, duration);
                report.WriteLine($"| {(keepAlive ? "keep-alive" : "new per request")} | {clients} | {direct.RequestsPerSecond:F0} | {viaProxy.RequestsPerSecond:F0} | " +
                    $"{viaProxy.RequestsPerSecond / direct.RequestsPerSecond:F2} | {direct.P50Micros:F0} | {viaProxy.P50Micros:F0} | " +
                    $"{viaProxy.P50Micros - direct.P50Micros:+0;-0} | {direct.P99Micros:F0} | {viaProxy.P99Micros:F0} | {direct.Errors + viaProxy.Errors} |");
                Console.Error.WriteLine($"overhead: keepAlive={keepAlive} clients={clients} done");
            }
        }
        report.WriteLine();
    }
}
