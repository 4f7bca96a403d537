namespace Berth.Bench.Api;

/// <summary>
/// Closed-loop writers: N clients each send the next create (then update) as soon as the previous one is answered,
/// so the phase measures the maximum write throughput and the latency at that throughput. Each phase stops after
/// <see cref="BenchOptions.WriteOps"/> operations or <see cref="BenchOptions.PhaseLimit"/>, whichever comes first.
/// </summary>
internal sealed class ClosedLoopWrites(BenchOptions options, TimeProvider time)
{
    public async Task<IReadOnlyList<WriteRow>> RunAsync(ServerProcess server, Version version, int clients)
    {
        var ns = $"writes-{clients}-{(version == ApiClients.Http2 ? "h2" : "h1")}";
        using var pool = await ClientPool.OpenAsync(server, version, clients).ConfigureAwait(false);
        await pool.Apis[0].EnsureNamespaceAsync(ns).ConfigureAwait(false);
        var protocol = ApiClients.Name(version);
        var (created, createRate, creates, createCpu) = await PhaseAsync(server, pool, options.WriteOps, (api, i) => api.CreatePodAsync(ns, i, 0)).ConfigureAwait(false);
        var (updated, updateRate, updates, updateCpu) = await PhaseAsync(server, pool, options.WriteOps, (api, i) => api.UpdatePodAsync(ns, i % created, i + 1)).ConfigureAwait(false);
        return
        [
            new WriteRow(server.Store, protocol, clients, "create", created, createRate, creates, createCpu),
            new WriteRow(server.Store, protocol, clients, "update", updated, updateRate, updates, updateCpu),
        ];
    }

    private async Task<(int Done, double Rate, Latencies Latencies, double CpuMsPerOp)> PhaseAsync(ServerProcess server, ClientPool pool, int ops,
        Func<BenchApi, int, Task> op)
    {
        var latencies = new Latencies();
        var next = -1;
        var done = 0;
        var cpu = server.Cpu();
        var started = time.GetTimestamp();
        await Task.WhenAll(pool.Apis.Select(api => Task.Run(async () =>
        {
            int i;
            while (time.GetElapsedTime(started) < options.PhaseLimit && (i = Interlocked.Increment(ref next)) < ops)
            {
                var t = time.GetTimestamp();
                await op(api, i).ConfigureAwait(false);
                latencies.Add(time.GetElapsedTime(t).TotalMilliseconds);
                Interlocked.Increment(ref done);
            }
        }))).ConfigureAwait(false);
        var rate = done / time.GetElapsedTime(started).TotalSeconds;
        return (done, rate, latencies, (server.Cpu() - cpu).TotalMilliseconds / Math.Max(1, done));
    }
}
