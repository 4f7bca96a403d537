namespace Berth.Bench.Api;

/// <summary>
/// Reads and memory on one fresh server per store: RSS idle (5 s after start), GETs and LISTs with 1,000 pods in a
/// namespace, LISTs and RSS (before and after the LISTs) with 3,000, then (SQLite only) restarts over that data directory to time loading it.
/// The store holds only those pods (loading them is the warm-up of the write path; GET and LIST warm up themselves).
/// </summary>
internal sealed class ReadSuite(BenchOptions options, TimeProvider time)
{
    public const string Namespace = "list";
    public static readonly int[] Sizes = [1000, 3000];
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(5);

    public List<ReadResult> Results { get; } = [];

    public async Task RunAsync(string store)
    {
        Progress.Say($"reads/{store}: starting server (load {LoadAverage.Read()})");
        var server = await ServerProcess.StartAsync(options, store, time).ConfigureAwait(false);
        ReadResult result;
        await using (server.ConfigureAwait(false))
        {
            var idleLeft = IdleWait - time.GetElapsedTime(server.SpawnedAt);
            if (idleLeft > TimeSpan.Zero)
            {
                await Task.Delay(idleLeft, time).ConfigureAwait(false);
            }
            var idle = server.Memory();
            var gets = new List<(string, Latencies, double)>();
            var lists = new List<ListRow>();
            var loaded = 0;
            var stored = idle;
            foreach (var size in Sizes)
            {
                Progress.Say($"reads/{store}: loading {size} pods");
                await PodLoader.LoadAsync(server, Namespace, loaded, size).ConfigureAwait(false);
                loaded = size;
                stored = server.Memory();
                if (gets.Count == 0)
                {
                    foreach (var version in new[] { ApiClients.Http2, ApiClients.Http11 })
                    {
                        var (latencies, cpuMs) = await new GetBench(options, time).RunAsync(server, version, Namespace, size).ConfigureAwait(false);
                        gets.Add((ApiClients.Name(version), latencies, cpuMs));
                    }
                }
                Progress.Say($"reads/{store}: listing {size} pods");
                lists.AddRange(await new ListBench(options, time).RunAsync(server, Namespace, size).ConfigureAwait(false));
            }
            result = new ReadResult(store, idle, stored, server.Memory(), gets, lists, null);
            await server.StopAsync(keepData: store == "sqlite").ConfigureAwait(false);
            if (store == "sqlite")
            {
                result = result with { Restart = await RestartAsync(server.DataDir).ConfigureAwait(false) };
            }
        }
        Results.Add(result);
    }

    /// <summary>Median start-to-ready over the data directory left by the read phase (which is deleted afterwards).</summary>
    private async Task<StartupProbe.Timing> RestartAsync(string dataDir)
    {
        Progress.Say($"reads/sqlite: restarting over {Sizes[^1]} pods");
        var timings = new List<StartupProbe.Timing>();
        try
        {
            for (var i = 0; i < Math.Min(3, options.Starts); i++)
            {
                timings.Add(await new StartupProbe(options, time).MeasureAsync("sqlite", dataDir).ConfigureAwait(false));
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
        return StartupSuite.Median(timings);
    }
}
