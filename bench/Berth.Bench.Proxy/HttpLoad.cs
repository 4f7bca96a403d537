using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Bench.Proxy;

/// <summary>
/// Closed-loop HTTP/1.1 clients: each sends a small GET and reads the whole fixed-size response, on one kept-alive
/// connection or on a new connection per request (then the latency includes the connect). Raw sockets, so the client
/// adds as little as possible to what is measured.
/// </summary>
internal static class HttpLoad
{
    private static readonly byte[] Request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: bench\r\n\r\n");
    private static readonly int ResponseLength = TinyHttpServer.Response.Length;

    public sealed record Result(double RequestsPerSecond, double P50Micros, double P99Micros, int Errors);

    /// <summary>One slice of load: the latencies of the requests completed, how long the slice took, and the errors.</summary>
    public sealed record Slice(Latencies Latencies, double Seconds, int Errors);

    public static async Task<Result> RunAsync(IPEndPoint target, int clients, bool keepAlive, TimeSpan duration)
    {
        var slice = await RunSliceAsync(target, clients, keepAlive, duration);
        return new Result(slice.Latencies.Count / slice.Seconds, slice.Latencies.Percentile(50), slice.Latencies.Percentile(99), slice.Errors);
    }

    public static async Task<Slice> RunSliceAsync(IPEndPoint target, int clients, bool keepAlive, TimeSpan duration)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var results = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(() => ClientAsync(target, keepAlive, deadline))));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var all = new Latencies();
        foreach (var (latencies, _) in results)
        {
            all.AddRange(latencies);
        }
        return new Slice(all, elapsed, results.Sum(r => r.Errors));
    }

    private static async Task<(Latencies, int Errors)> ClientAsync(IPEndPoint target, bool keepAlive, long deadline)
    {
        var latencies = new Latencies();
        var errors = 0;
        var buffer = new byte[1024];
        Socket? socket = null;
        try
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    if (socket is null)
                    {
                        socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                        await socket.ConnectAsync(target);
                    }
                    await socket.SendAsync(Request, SocketFlags.None);
                    var received = 0;
                    while (received < ResponseLength)
                    {
                        var read = await socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None);
                        if (read == 0)
                        {
                            throw new IOException("closed early");
                        }
                        received += read;
                    }
                    latencies.Add(Stopwatch.GetElapsedTime(start));
                }
                catch (Exception ex) when (ex is SocketException or IOException)
                {
                    errors++;
                    socket?.Dispose();
                    socket = null;
                    continue;
                }
                if (!keepAlive)
                {
                    socket.Dispose();
                    socket = null;
                }
            }
        }
        finally
        {
            socket?.Dispose();
        }
        return (latencies, errors);
    }
}
