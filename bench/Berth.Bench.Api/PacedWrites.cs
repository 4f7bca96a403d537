namespace Berth.Bench.Api;

/// <summary>
/// Open-loop writes at a fixed rate (the target's "p99 at 200 writes/s"): write n is sent at start + n/rate whether or
/// not earlier ones were answered, spread over 8 connections (HTTP/2 multiplexes concurrent requests on each).
/// Latency runs from just before the send; the achieved send rate is reported so a lagging client is visible.
/// </summary>
internal sealed class PacedWrites(BenchOptions options, TimeProvider time)
{
    private const int Connections = 8;

    public async Task<IReadOnlyList<WriteRow>> RunAsync(ServerProcess server, int rate)
    {
        var ns = $"paced-{rate}";
        using var pool = await ClientPool.OpenAsync(server, ApiClients.Http2, Connections).ConfigureAwait(false);
        await pool.Apis[0].EnsureNamespaceAsync(ns).ConfigureAwait(false);
        var total = (int)(rate * options.PacedDuration.TotalSeconds);
        var (createRate, creates, createCpu) = await PaceAsync(server, pool, rate, total, (api, n) => api.CreatePodAsync(ns, n, 0)).ConfigureAwait(false);
        var (updateRate, updates, updateCpu) = await PaceAsync(server, pool, rate, total, (api, n) => api.UpdatePodAsync(ns, n, n + 1)).ConfigureAwait(false);
        return
        [
            new WriteRow(server.Store, "HTTP/2", rate, "create", creates.Count, createRate, creates, createCpu),
            new WriteRow(server.Store, "HTTP/2", rate, "update", updates.Count, updateRate, updates, updateCpu),
        ];
    }

    /// <summary>Sends <paramref name="total"/> operations on schedule; returns the achieved send rate and latencies.</summary>
    private async Task<(double SendRate, Latencies Latencies, double CpuMsPerOp)> PaceAsync(ServerProcess server, ClientPool pool, int rate, int total,
        Func<BenchApi, int, Task> op)
    {
        var latencies = new Latencies();
        var inFlight = new List<Task>(total);
        var cpu = server.Cpu();
        var start = time.GetTimestamp();
        for (var n = 0; n < total; n++)
        {
            var due = TimeSpan.FromSeconds((double)n / rate) - time.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, time).ConfigureAwait(false);
            }
            var api = pool.Apis[n % Connections];
            var index = n;
            inFlight.Add(Task.Run(async () =>
            {
                var t = time.GetTimestamp();
                await op(api, index).ConfigureAwait(false);
                latencies.Add(time.GetElapsedTime(t).TotalMilliseconds);
            }));
        }
        var sendRate = Math.Max(1, total - 1) / time.GetElapsedTime(start).TotalSeconds;
        await Task.WhenAll(inFlight).WaitAsync(TimeSpan.FromSeconds(60), time).ConfigureAwait(false);
        return (sendRate, latencies, (server.Cpu() - cpu).TotalMilliseconds / total);
    }
}
