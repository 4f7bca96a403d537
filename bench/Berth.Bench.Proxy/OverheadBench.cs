using System.Net;
using Berth.Proxy;
using Berth.Proxy.Metrics;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Bench.Proxy;

/// <summary>
/// Overhead: the same small HTTP requests straight to a backend and through the proxy core (a real listener on a
/// ClusterIP; in this process, or with backend and proxies in child processes), in alternating short slices in one run (<see cref="InterleavedLoad"/>). Several proxies
/// (<see cref="Variants"/>: the engines and their settings) front the same backend, so the A/B is measured under the
/// same load. Keep-alive and new connection per request; 1 and 8 closed-loop clients. When HAProxy is installed it is
/// measured in the same slices as a reference userspace L4 proxy (<see cref="ReferenceProxy"/>).
/// </summary>
internal static class OverheadBench
{
    /// <summary>The proxies measured side by side: a label and the options that differ from the defaults.</summary>
    public static readonly (string Label, ProxyOptions Options)[] Variants =
    [
        ("async", new ProxyOptions { Forwarding = ForwardingMode.Async }),
        ($"event loop ×{new ProxyOptions().RelayLoops}", new ProxyOptions { Forwarding = ForwardingMode.EventLoop }),
        ("event loop ×1", new ProxyOptions { Forwarding = ForwardingMode.EventLoop, RelayLoops = 1 }),
        ($"event loop ×{new ProxyOptions().RelayLoops}, no busy-poll", new ProxyOptions { Forwarding = ForwardingMode.EventLoop, RelayBusyPoll = TimeSpan.Zero }),
        // The kernel data path: connects to its ClusterIP are rewritten to the backend, so the user-space listener
        // only sees what passes through (nothing here). Falls back to the event loop where eBPF is not allowed, which
        // StartProxyAsync reports on stderr.
        ("ebpf (socket LB)", new ProxyOptions { Mode = ProxyMode.Ebpf }),
    ];

    public static readonly IPEndPoint BackendAddress = new(IPAddress.Parse("127.103.0.2"), 8080);

    /// <summary>The ClusterIP of the proxy of <see cref="Variants"/>[<paramref name="variant"/>].</summary>
    public static IPAddress ProxyAddress(int variant) => IPAddress.Parse($"127.103.1.{variant + 2}");

    /// <summary>
    /// Measures with everything in this process (<paramref name="separateProcesses"/> false: the runtime's socket
    /// engine and thread pool serve the client, the backend and the async proxy alike), or with the backend and the
    /// proxies each in a child process of their own.
    /// </summary>
    public static async Task RunAsync(bool quick, bool separateProcesses, TextWriter report)
    {
        List<IPEndPoint> targets = [BackendAddress, .. Variants.Select((_, i) => new IPEndPoint(ProxyAddress(i), 80))];
        List<string> labels = [.. Variants.Select(variant => variant.Label)];
        var servers = new List<IAsyncDisposable>();
        try
        {
            if (separateProcesses)
            {
                servers.Add(await ChildProcess.StartAsync("serve-backend", BackendAddress.ToString()));
                servers.Add(await ChildProcess.StartAsync("serve-proxies", BackendAddress.ToString()));
            }
            else
            {
                servers.Add(new TinyHttpServer(BackendAddress));
                for (var i = 0; i < Variants.Length; i++)
                {
                    servers.Add(await StartProxyAsync(ProxyAddress(i), BackendAddress, Variants[i].Options));
                }
            }
            if (ReferenceProxy.Find() is { } haproxy)
            {
                // As many threads as the event loop has relay loops, and one.
                foreach (var threads in new[] { new ProxyOptions().RelayLoops, 1 }.Distinct())
                {
                    var listen = new IPEndPoint(ProxyAddress(targets.Count - 1), 80);
                    servers.Add(await ReferenceProxy.StartAsync(haproxy, listen, BackendAddress, threads));
                    targets.Add(listen);
                    labels.Add($"reference: {ReferenceProxy.Version(haproxy)}, nbthread {threads}");
                }
            }
            else
            {
                Console.Error.WriteLine("overhead: haproxy not installed (apt-get install haproxy), no reference proxy row");
            }
            await MeasureAsync(quick, separateProcesses, targets, labels, report);
        }
        finally
        {
            for (var i = servers.Count - 1; i >= 0; i--)
            {
                await servers[i].DisposeAsync();
            }
        }
    }

    private static async Task MeasureAsync(bool quick, bool separateProcesses, List<IPEndPoint> targets, List<string> labels, TextWriter report)
    {
        var slice = TimeSpan.FromMilliseconds(200);
        var rounds = quick ? 5 : 20;
        foreach (var target in targets)
        {
            await HttpLoad.RunAsync(target, 2, true, TimeSpan.FromSeconds(0.5));
            await HttpLoad.RunAsync(target, 2, false, TimeSpan.FromSeconds(0.3));
        }

        report.WriteLine($"#### Overhead: small HTTP/1.1 requests, direct vs through the proxy ({(separateProcesses ? "client, proxies and backend in three processes" : "in process")}, closed loop, {rounds} rounds of {targets.Count} alternating {slice.TotalMilliseconds:F0} ms slices)");
        report.WriteLine();
        report.WriteLine("| connections | clients | forwarding | direct req/s | proxy req/s | ratio | direct p50 µs | proxy p50 µs | Δp50 µs | direct p99 µs | proxy p99 µs | errors |");
        report.WriteLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var keepAlive in new[] { true, false })
        {
            foreach (var clients in new[] { 1, 8 })
            {
                var sides = await InterleavedLoad.RunAsync(targets, clients, keepAlive, slice, rounds);
                var direct = sides[0];
                for (var i = 0; i < labels.Count; i++)
                {
                    var viaProxy = sides[i + 1];
                    report.WriteLine($"| {(keepAlive ? "keep-alive" : "new per request")} | {clients} | {labels[i]} | {direct.RequestsPerSecond:F0} | {viaProxy.RequestsPerSecond:F0} | " +
                        $"{viaProxy.RequestsPerSecond / direct.RequestsPerSecond:F2} | {direct.P50Micros:F0} | {viaProxy.P50Micros:F0} | " +
                        $"{viaProxy.P50Micros - direct.P50Micros:+0;-0} | {direct.P99Micros:F0} | {viaProxy.P99Micros:F0} | {direct.Errors + viaProxy.Errors} |");
                }
                Console.Error.WriteLine($"overhead: keepAlive={keepAlive} clients={clients} done");
            }
        }
        report.WriteLine();
    }

    public static async Task<Proxier> StartProxyAsync(IPAddress clusterIP, IPEndPoint backend, ProxyOptions options)
    {
        var stats = new EndpointStatsRegistry();
        var proxier = new Proxier(options with { NodePortAddress = null },
            new ProxyMetrics(Prometheus.Metrics.NewCustomRegistry(), stats), stats, TimeProvider.System, NullLoggerFactory.Instance);
        proxier.OnServiceUpdate(null, Objects.Service("bench", "web", clusterIP));
        proxier.OnEndpointSliceUpdate(Objects.Slice("bench", "web", "web-1", [backend], new HashSet<int>()), removed: false);
        await proxier.SyncAsync();
        if (proxier.Mode != options.Mode)
        {
            Console.Error.WriteLine($"overhead: proxy mode {options.Mode} not available, measured {proxier.Mode} instead");
        }
        return proxier;
    }
}
