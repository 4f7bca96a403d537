namespace Berth.Bench.Api;

/// <summary>
/// Everything that writes, on one fresh server per store: closed-loop creates/updates with 1, 8 and 32 clients
/// (HTTP/2 on both stores, HTTP/1.1 on SQLite), the open-loop 200 writes/s phase, and watch fan-out.
/// </summary>
internal sealed class WriteSuite(BenchOptions options, TimeProvider time)
{
    public static readonly int[] ClientCounts = [1, 8, 32];
    public const int PacedRate = 200;

    public List<WriteRow> Closed { get; } = [];

    public List<WriteRow> Paced { get; } = [];

    public List<WatchRow> Watch { get; } = [];

    public int[] WatchRates => options.Quick ? [10, 50] : [10, 100];

    public async Task RunAsync(string store)
    {
        Progress.Say($"writes/{store}: starting server (load {LoadAverage.Read()})");
        await using var server = await ServerProcess.StartAsync(options, store, time).ConfigureAwait(false);
        await Warmup.RunAsync(server, options.Quick ? 100 : 500).ConfigureAwait(false);
        if (options.Has("writes"))
        {
            await WritesAsync(server, store).ConfigureAwait(false);
        }
        foreach (var rate in options.Has("watch") ? WatchRates : [])
        {
            Progress.Say($"writes/{store}: watch, {options.Watchers} watchers, {rate} writes/s");
            Watch.Add(await new WatchBench(options, time).RunAsync(server, rate).ConfigureAwait(false));
        }
    }

    private async Task WritesAsync(ServerProcess server, string store)
    {
        var closed = new ClosedLoopWrites(options, time);
        var versions = store == "sqlite" ? new[] { ApiClients.Http2, ApiClients.Http11 } : [ApiClients.Http2];
        foreach (var version in versions)
        {
            foreach (var clients in ClientCounts)
            {
                Progress.Say($"writes/{store}: closed loop, {clients} clients, {ApiClients.Name(version)}");
                Closed.AddRange(await closed.RunAsync(server, version, clients).ConfigureAwait(false));
            }
        }
        Progress.Say($"writes/{store}: open loop at {PacedRate} writes/s");
        Paced.AddRange(await new PacedWrites(options, time).RunAsync(server, PacedRate).ConfigureAwait(false));
    }
}
