using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.Proxy;
using Berth.Proxy.Metrics;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Bench.Proxy;

/// <summary>
/// UDP through the proxy (<c>--only udp</c>): 64-byte datagrams answered by an in-process UDP echo server, straight
/// and through the proxy core's UDP service socket (<see cref="Berth.Proxy.Listening.DatagramListener"/>), in
/// alternating 200 ms slices (order rotating each round) so both see the same background load. Closed loop: each
/// client has its own socket (one flow) and sends its next datagram when the answer came. 1 and 8 clients.
/// </summary>
internal static class UdpOverheadBench
{
    private static readonly IPEndPoint Backend = new(IPAddress.Parse("127.103.0.3"), 5353);
    private static readonly IPAddress ClusterIP = IPAddress.Parse("127.103.2.2");

    public static async Task RunAsync(bool quick, TextWriter report)
    {
        using var echo = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        echo.Bind(Backend);
        var serving = Task.Run(() => EchoAsync(echo));
        var stats = new EndpointStatsRegistry();
        await using var proxier = new Proxier(new ProxyOptions { NodePortAddress = null },
            new ProxyMetrics(Prometheus.Metrics.NewCustomRegistry(), stats), stats, TimeProvider.System, NullLoggerFactory.Instance);
        var service = Objects.Service("bench", "dns", ClusterIP);
        service.Spec.Ports = [new V1ServicePort { Name = "dns", Port = 53, Protocol = "UDP" }];
        var slice = Objects.Slice("bench", "dns", "dns-1", [Backend], new HashSet<int>());
        slice.Ports = [new Discoveryv1EndpointPort { Name = "dns", Port = Backend.Port, Protocol = "UDP" }];
        proxier.OnServiceUpdate(null, service);
        proxier.OnEndpointSliceUpdate(slice, removed: false);
        await proxier.SyncAsync();

        IPEndPoint[] targets = [Backend, new(ClusterIP, 53)];
        var rounds = quick ? 5 : 20;
        report.WriteLine($"#### UDP: 64-byte datagrams answered by an echo server, direct vs through the proxy (in process, closed loop, {rounds} rounds of 2 alternating 200 ms slices)");
        report.WriteLine();
        report.WriteLine("| clients | direct datagrams/s | proxy datagrams/s | ratio | direct p50 µs | proxy p50 µs | Δp50 µs | direct p99 µs | proxy p99 µs | lost |");
        report.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var clients in new[] { 1, 8 })
        {
            var sides = await MeasureAsync(targets, clients, rounds);
            var (direct, proxied) = (sides[0], sides[1]);
            report.WriteLine($"| {clients} | {direct.PerSecond:F0} | {proxied.PerSecond:F0} | {proxied.PerSecond / direct.PerSecond:F2} | " +
                $"{direct.Latencies.Percentile(50):F0} | {proxied.Latencies.Percentile(50):F0} | {proxied.Latencies.Percentile(50) - direct.Latencies.Percentile(50):+0;-0} | " +
                $"{direct.Latencies.Percentile(99):F0} | {proxied.Latencies.Percentile(99):F0} | {direct.Lost + proxied.Lost} |");
        }
        report.WriteLine();
        echo.Dispose();
        await serving;
    }

    private sealed class Side
    {
        public Latencies Latencies { get; } = new();
        public double Seconds { get; set; }
        public int Lost { get; set; }
        public double PerSecond => Latencies.Count / Seconds;
    }

    private static async Task<Side[]> MeasureAsync(IPEndPoint[] targets, int clients, int rounds)
    {
        var sides = targets.Select(_ => new Side()).ToArray();
        foreach (var target in targets)
        {
            await SliceAsync(target, clients, TimeSpan.FromMilliseconds(300), new Side());
        }
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < targets.Length; k++)
            {
                var i = (round + k) % targets.Length;
                await SliceAsync(targets[i], clients, TimeSpan.FromMilliseconds(200), sides[i]);
            }
        }
        return sides;
    }

    private static async Task SliceAsync(IPEndPoint target, int clients, TimeSpan duration, Side side)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var results = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(() => ClientAsync(target, deadline))));
        side.Seconds += Stopwatch.GetElapsedTime(started).TotalSeconds;
        foreach (var (latencies, lost) in results)
        {
            side.Latencies.AddRange(latencies);
            side.Lost += lost;
        }
    }

    /// <summary>One client: send, wait for the answer (a datagram not answered within 100 ms counts as lost), repeat.</summary>
    private static async Task<(Latencies, int Lost)> ClientAsync(IPEndPoint target, long deadline)
    {
        var latencies = new Latencies();
        var lost = 0;
        var payload = new byte[64];
        var buffer = new byte[256];
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(target);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var start = Stopwatch.GetTimestamp();
            await socket.SendAsync(payload, SocketFlags.None);
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            try
            {
                await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, wait.Token);
                latencies.Add(Stopwatch.GetElapsedTime(start));
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                lost++;
            }
        }
        return (latencies, lost);
    }

    private static async Task EchoAsync(Socket socket)
    {
        var buffer = new byte[2048];
        var any = new IPEndPoint(IPAddress.Any, 0);
        try
        {
            while (true)
            {
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any);
                await socket.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, received.RemoteEndPoint);
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }
}
