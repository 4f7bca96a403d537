namespace Berth.Bench.Api;

/// <summary>
/// Reads and memory on one fresh server per store. RSS idle (5 s after start); then 1,000 pods in one namespace and
/// 2,000 in another are created (the write path's warm-up) and RSS is read with exactly 3,000 pods stored; then GETs,
/// LISTs of the 1,000-pod namespace and of all 3,000 pods (all namespaces, <c>kubectl get pods -A</c>), RSS again;
/// finally (SQLite only) restarts over that data directory to time loading it (<see cref="StoredPodRestarts"/>).
/// </summary>
internal sealed class ReadSuite(BenchOptions options, TimeProvider time)
{
    public const string SmallNamespace = "list-1000";
    public const int SmallPods = 1000;
    public const int TotalPods = 3000;
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
            Progress.Say($"reads/{store}: creating {TotalPods} pods");
            await PodLoader.LoadAsync(server, SmallNamespace, 0, SmallPods).ConfigureAwait(false);
            await PodLoader.LoadAsync(server, "list-rest", 0, TotalPods - SmallPods).ConfigureAwait(false);
            var stored = server.Memory();
            var gets = new List<(string, Latencies, double)>();
            foreach (var version in new[] { ApiClients.Http2, ApiClients.Http11 })
            {
                var (latencies, cpuMs) = await new GetBench(options, time).RunAsync(server, version, SmallNamespace, SmallPods).ConfigureAwait(false);
                gets.Add((ApiClients.Name(version), latencies, cpuMs));
            }
            Progress.Say($"reads/{store}: listing");
            var lists = new List<ListRow>();
            lists.AddRange(await new ListBench(options, time).RunAsync(server, SmallNamespace, SmallPods).ConfigureAwait(false));
            lists.AddRange(await new ListBench(options, time).RunAsync(server, null, TotalPods).ConfigureAwait(false));
            result = new ReadResult(store, idle, stored, server.Memory(), gets, lists, null);
            await server.StopAsync(keepData: store == "sqlite").ConfigureAwait(false);
            if (store == "sqlite")
            {
                result = result with { Restart = await StoredPodRestarts.MeasureAsync(options, time, server.DataDir).ConfigureAwait(false) };
            }
        }
        Results.Add(result);
    }
}
