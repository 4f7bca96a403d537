using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.Proxy;
using Berth.Proxy.Metrics;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Bench.Proxy;

/// <summary>
/// Refusal and reopen: a Service whose only endpoint goes away (the listener closes, clients get ECONNREFUSED) and
/// comes back. Measured from the slice handed to the running proxy to the first successful TCP connect on the
/// ClusterIP (connect attempts back to back), and from the empty slice to the first refused connect.
/// </summary>
internal static class ReopenBench
{
    public static async Task RunAsync(bool quick, TextWriter report)
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var stats = new EndpointStatsRegistry();
        await using var proxier = new Proxier(new ProxyOptions { NodePortAddress = null }, new ProxyMetrics(registry, stats), stats,
            TimeProvider.System, NullLoggerFactory.Instance);
        var clusterIP = IPAddress.Parse("127.103.2.2");
        var endpoint = new[] { new IPEndPoint(IPAddress.Parse("127.103.2.3"), 8080) };
        proxier.OnServiceUpdate(null, Objects.Service("reopen", "web", clusterIP));
        await proxier.SyncAsync();
        using var stop = new CancellationTokenSource();
        var loop = proxier.RunAsync(stop.Token);
        var target = new IPEndPoint(clusterIP, 80);
        var opened = new Latencies();
        var closed = new Latencies();
        for (var i = 0; i < (quick ? 30 : 200); i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            proxier.OnEndpointSliceUpdate(Objects.Slice("reopen", "web", "web-1", endpoint, new HashSet<int>()), removed: false);
            await UntilAsync(target, refused: false);
            opened.Add(Stopwatch.GetElapsedTime(t0));
            t0 = Stopwatch.GetTimestamp();
            proxier.OnEndpointSliceUpdate(Objects.Slice("reopen", "web", "web-1", endpoint, new HashSet<int>()), removed: true);
            await UntilAsync(target, refused: true);
            closed.Add(Stopwatch.GetElapsedTime(t0));
        }
        await stop.CancelAsync();
        await loop;
        report.WriteLine("#### Refusal and reopen of a ClusterIP (in process)");
        report.WriteLine();
        report.WriteLine("| transition | count | p50 µs | p99 µs | max µs |");
        report.WriteLine("|---|---:|---:|---:|---:|");
        report.WriteLine($"| endpoint back → first connect accepted | {opened.Count} | {opened.Percentile(50):F0} | {opened.Percentile(99):F0} | {opened.Percentile(100):F0} |");
        report.WriteLine($"| last endpoint gone → first connect refused | {closed.Count} | {closed.Percentile(50):F0} | {closed.Percentile(99):F0} | {closed.Percentile(100):F0} |");
        report.WriteLine();
    }

    private static async Task UntilAsync(IPEndPoint target, bool refused)
    {
        var deadline = Stopwatch.GetTimestamp() + 10 * Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(target);
                if (!refused)
                {
                    return;
                }
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
            {
                if (refused)
                {
                    return;
                }
            }
            catch (SocketException)
            {
                // Reset: the connection sat in the backlog of a listener that closed meanwhile; try again.
            }
        }
        throw new TimeoutException($"{target} never became {(refused ? "refused" : "open")}");
    }
}
