using System.Net;
using Berth.Proxy;
using Berth.Proxy.Metrics;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Bench.Proxy;

/// <summary>
/// Overhead: the same small HTTP requests straight to a backend and through the proxy core (in this process, a real
/// listener on a ClusterIP), in alternating short slices in one run (<see cref="InterleavedLoad"/>). Three proxies
/// front the same backend: the event loop (default thread count and one thread) and async (the default engine),
/// so the A/B is measured under the same load. Keep-alive and new connection per request; 1 and 8 closed-loop clients.
/// </summary>
internal static class OverheadBench
{
    public static async Task RunAsync(bool quick, TextWriter report)
    {
        var backendAddress = new IPEndPoint(IPAddress.Parse("127.103.0.2"), 8080);
        await using var backend = new TinyHttpServer(backendAddress);
        await using var eventLoop = await StartProxyAsync(IPAddress.Parse("127.103.1.2"), backendAddress, ForwardingMode.EventLoop);
        await using var async = await StartProxyAsync(IPAddress.Parse("127.103.1.3"), backendAddress, ForwardingMode.Async);
        await using var oneLoop = await StartProxyAsync(IPAddress.Parse("127.103.1.4"), backendAddress, ForwardingMode.EventLoop, loops: 1);
        IPEndPoint[] targets = [backendAddress, new(IPAddress.Parse("127.103.1.2"), 80), new(IPAddress.Parse("127.103.1.3"), 80), new(IPAddress.Parse("127.103.1.4"), 80)];
        var slice = TimeSpan.FromMilliseconds(200);
        var rounds = quick ? 5 : 20;
        foreach (var target in targets)
        {
            await HttpLoad.RunAsync(target, 2, true, TimeSpan.FromSeconds(0.5));
            await HttpLoad.RunAsync(target, 2, false, TimeSpan.FromSeconds(0.3));
        }

        report.WriteLine($"#### Overhead: small HTTP/1.1 requests, direct vs through the proxy (in process, closed loop, {rounds} rounds of {targets.Length} alternating {slice.TotalMilliseconds:F0} ms slices)");
        report.WriteLine();
        report.WriteLine("| connections | clients | forwarding | direct req/s | proxy req/s | ratio | direct p50 µs | proxy p50 µs | Δp50 µs | direct p99 µs | proxy p99 µs | errors |");
        report.WriteLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var keepAlive in new[] { true, false })
        {
            foreach (var clients in new[] { 1, 8 })
            {
                var sides = await InterleavedLoad.RunAsync(targets, clients, keepAlive, slice, rounds);
                var direct = sides[0];
                foreach (var (mode, viaProxy) in new[] { ($"event loop ×{new ProxyOptions().RelayLoops}", sides[1]), ("event loop ×1", sides[3]), ("async", sides[2]) })
                {
                    report.WriteLine($"| {(keepAlive ? "keep-alive" : "new per request")} | {clients} | {mode} | {direct.RequestsPerSecond:F0} | {viaProxy.RequestsPerSecond:F0} | " +
                        $"{viaProxy.RequestsPerSecond / direct.RequestsPerSecond:F2} | {direct.P50Micros:F0} | {viaProxy.P50Micros:F0} | " +
                        $"{viaProxy.P50Micros - direct.P50Micros:+0;-0} | {direct.P99Micros:F0} | {viaProxy.P99Micros:F0} | {direct.Errors + viaProxy.Errors} |");
                }
                Console.Error.WriteLine($"overhead: keepAlive={keepAlive} clients={clients} done");
            }
        }
        report.WriteLine();
    }

    private static async Task<Proxier> StartProxyAsync(IPAddress clusterIP, IPEndPoint backend, ForwardingMode mode, int? loops = null)
    {
        var stats = new EndpointStatsRegistry();
        var options = new ProxyOptions { NodePortAddress = null, Forwarding = mode };
        var proxier = new Proxier(loops is { } n ? options with { RelayLoops = n } : options,
            new ProxyMetrics(Prometheus.Metrics.NewCustomRegistry(), stats), stats, TimeProvider.System, NullLoggerFactory.Instance);
        proxier.OnServiceUpdate(null, Objects.Service("bench", "web", clusterIP));
        proxier.OnEndpointSliceUpdate(Objects.Slice("bench", "web", "web-1", [backend], new HashSet<int>()), removed: false);
        await proxier.SyncAsync();
        return proxier;
    }
}
