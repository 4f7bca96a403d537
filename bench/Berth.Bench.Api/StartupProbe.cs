using System.Net;
using System.Net.Sockets;

namespace Berth.Bench.Api;

/// <summary>
/// Time from spawning <c>berth server</c> to its <c>serving on</c> line and to the first <c>/readyz</c> 200, polling
/// every 5 ms from the moment of the spawn (on a port picked beforehand, so polling need not wait for the line).
/// Bounded by 60 s. The server is stopped afterwards; its data directory is kept only when the caller passed one.
/// </summary>
internal sealed class StartupProbe(BenchOptions options, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Milliseconds from the spawn to the <c>serving on</c> line and to the first <c>/readyz</c> 200, and how long that
    /// successful request itself took (connect, TLS handshake and the server's first, cold, request path), and the CPU
    /// time the server had used by then (a load-independent view of start-up work: JIT, TLS material, store open).
    /// </summary>
    public readonly record struct Timing(double ServingMs, double ReadyMs, double ReadyRequestMs, double CpuAtReadyMs);

    public async Task<Timing> MeasureAsync(string store, string? dataDir = null)
    {
        var port = FreePort();
        var server = ServerProcess.Spawn(options, store, time, port, dataDir);
        await using (server.ConfigureAwait(false))
        {
            var baseUri = new Uri($"https://127.0.0.1:{port}");
            using var http = ApiClients.Create(server.DataDir, baseUri, ApiClients.Http2, withToken: false, TimeSpan.FromSeconds(30));
            var (readyMs, requestMs) = await PollReadyAsync(http, server).ConfigureAwait(false);
            var cpuMs = server.Cpu().TotalMilliseconds;
            await server.Serving.WaitAsync(Limit, time).ConfigureAwait(false);
            var servingMs = time.GetElapsedTime(server.SpawnedAt, server.ServingAt).TotalMilliseconds;
            return new Timing(servingMs, readyMs, requestMs, cpuMs);
        }
    }

    private async Task<(double ReadyMs, double RequestMs)> PollReadyAsync(HttpClient http, ServerProcess server)
    {
        while (time.GetElapsedTime(server.SpawnedAt) < Limit)
        {
            if (server.Serving.IsFaulted)
            {
                await server.Serving.ConfigureAwait(false);
            }
            var sent = time.GetTimestamp();
            try
            {
                using var response = await http.GetAsync("/readyz").ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return (time.GetElapsedTime(server.SpawnedAt).TotalMilliseconds, time.GetElapsedTime(sent).TotalMilliseconds);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet (connection refused), TLS material not written yet, or a (30 s) timeout: poll again.
            }
            await Task.Delay(PollInterval, time).ConfigureAwait(false);
        }
        throw new BenchFailureException($"berth not ready within {Limit.TotalSeconds} s:\n{server.Output}");
    }

    /// <summary>A loopback port that was free a moment ago (the kernel does not hand it out again immediately).</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
