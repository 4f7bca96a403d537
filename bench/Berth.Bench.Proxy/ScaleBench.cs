using System.Diagnostics;
using System.Net;
using Berth.Proxy;
using Berth.Proxy.Metrics;
using Berth.Proxy.Model;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Bench.Proxy;

/// <summary>
/// Scale: 100 Services × 10 endpoints in the proxy core (100 listeners on ClusterIPs), its memory, then churn: one
/// endpoint of a random service turns terminating or ready again, and the time from handing the slice to the proxy
/// to the snapshot (and listeners) applied is measured per change — sequentially, then with changes paced at
/// 1,000/s from another thread while the same latency is sampled.
/// </summary>
internal static class ScaleBench
{
    private const int Services = 100;
    private const int EndpointsPerService = 10;

    /// <param name="mode">The data path, as the server's <c>--proxy-mode</c>: in ebpf mode each change also rewrites the kernel's maps.</param>
    public static async Task RunAsync(bool quick, ProxyMode mode, TextWriter report)
    {
        var rssBefore = ProcessMemory.RssKiB();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var stats = new EndpointStatsRegistry();
        await using var proxier = new Proxier(new ProxyOptions { NodePortAddress = null, Mode = mode }, new ProxyMetrics(registry, stats), stats,
            TimeProvider.System, NullLoggerFactory.Instance);
        var endpoints = Enumerable.Range(0, Services).Select(s => Enumerable.Range(0, EndpointsPerService)
            .Select(e => new IPEndPoint(IPAddress.Parse($"127.104.{s}.{e + 1}"), 8080)).ToArray()).ToArray();
        var load = Stopwatch.StartNew();
        for (var s = 0; s < Services; s++)
        {
            proxier.OnServiceUpdate(null, Objects.Service("scale", $"svc-{s}", IPAddress.Parse($"127.105.0.{s + 1}")));
            proxier.OnEndpointSliceUpdate(Objects.Slice("scale", $"svc-{s}", $"svc-{s}-1", endpoints[s], new HashSet<int>()), removed: false);
        }
        await proxier.SyncAsync();
        load.Stop();
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        var rssAfter = ProcessMemory.RssKiB();
        using var stop = new CancellationTokenSource();
        var loop = proxier.RunAsync(stop.Token);
        var ops = quick ? 300 : 2000;
        var sequential = await ChurnAsync(proxier, endpoints, ops, paced: false);
        var paced = await ChurnAsync(proxier, endpoints, ops, paced: true);
        await stop.CancelAsync();
        await loop;

        report.WriteLine($"#### Scale: {Services} services × {EndpointsPerService} endpoints (in process, {proxier.ListeningAddresses.Count} listeners, proxy mode {ProxyModes.Name(proxier.Mode)})");
        report.WriteLine();
        report.WriteLine($"- Initial load and first sync: {load.Elapsed.TotalMilliseconds:F1} ms");
        report.WriteLine($"- Managed heap for the proxy state: {(heapAfter - heapBefore) / 1024.0:F0} KiB; process RSS {rssBefore / 1024.0:F1} → {rssAfter / 1024.0:F1} MiB");
        report.WriteLine();
        report.WriteLine("| churn | changes | p50 µs | p99 µs | max µs |");
        report.WriteLine("|---|---:|---:|---:|---:|");
        report.WriteLine($"| one at a time (wait for each) | {ops} | {sequential.Percentile(50):F0} | {sequential.Percentile(99):F0} | {sequential.Percentile(100):F0} |");
        report.WriteLine($"| paced 1,000/s (sampled every 10th) | {ops} | {paced.Percentile(50):F0} | {paced.Percentile(99):F0} | {paced.Percentile(100):F0} |");
        report.WriteLine();
    }

    /// <summary>Flips endpoint states; returns the latency from the slice update to a snapshot that reflects it.</summary>
    private static async Task<Latencies> ChurnAsync(Proxier proxier, IPEndPoint[][] endpoints, int ops, bool paced)
    {
        var latencies = new Latencies();
        var random = new Random(42);
        var terminating = Enumerable.Range(0, Services).Select(_ => new HashSet<int>()).ToArray();
        var start = Stopwatch.GetTimestamp();
        for (var op = 0; op < ops; op++)
        {
            var s = random.Next(Services);
            var e = random.Next(EndpointsPerService);
            if (!terminating[s].Remove(e))
            {
                terminating[s].Add(e);
            }
            var name = new ServicePortName("scale", $"svc-{s}", "http");
            // All terminating: the serving+terminating fallback makes every endpoint usable again (KEP-1669).
            var expected = terminating[s].Count == EndpointsPerService ? EndpointsPerService : EndpointsPerService - terminating[s].Count;
            var measure = !paced || op % 10 == 0;
            var applied = measure ? WaitForUsable(proxier, name, expected) : Task.CompletedTask;
            var t0 = Stopwatch.GetTimestamp();
            proxier.OnEndpointSliceUpdate(Objects.Slice("scale", $"svc-{s}", $"svc-{s}-1", endpoints[s], terminating[s]), removed: false);
            if (measure)
            {
                await applied.WaitAsync(TimeSpan.FromSeconds(10));
                latencies.Add(Stopwatch.GetElapsedTime(t0));
            }
            if (paced)
            {
                var due = start + (long)((op + 1) * Stopwatch.Frequency / 1000.0);
                while (Stopwatch.GetTimestamp() < due)
                {
                    Thread.SpinWait(50);
                }
            }
        }
        return latencies;
    }

    private static Task WaitForUsable(Proxier proxier, ServicePortName name, int expected)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnApplied(ProxySnapshot snapshot)
        {
            if (snapshot.Find(name)?.Usable.Length == expected)
            {
                proxier.SnapshotApplied -= OnApplied;
                done.TrySetResult();
            }
        }
        proxier.SnapshotApplied += OnApplied;
        return done.Task;
    }
}
