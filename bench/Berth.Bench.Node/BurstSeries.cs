using Berth.Bench.Api;

namespace Berth.Bench.Node;

/// <summary>
/// <c>--bursts N</c>: a short A/B loop for start-up throughput work. On one fresh server: the first burst, then
/// <c>N</c> warm bursts, each deleted before the next, and nothing else (no idle, paced or kill phases). One line per
/// burst on stdout: p50/p99, pods/s, server CPU ms per pod, the bench's own CPU ms per pod (the client shares the
/// cores), the rest of the machine's CPU ms per pod (<see cref="MachineCpu"/>: the pods' processes and the kernel's
/// work for them, plus anything else running) and store writes per pod. The server's PID is printed on
/// stderr first, so a profiler can attach to it (e.g. <c>perf record -g -p PID</c> with
/// <c>--server-env DOTNET_PerfMapEnabled=1</c>). With <c>--rate R</c> each burst's POSTs are sent at R per second.
/// </summary>
internal static class BurstSeries
{
    private static readonly TimeSpan WritesSettle = TimeSpan.FromSeconds(3);

    public static async Task RunAsync(NodeBenchOptions options, int warmBursts, TimeProvider time)
    {
        await using var server = await ServerProcess.StartAsync(options.Server, "sqlite", time).ConfigureAwait(false);
        using var http = ApiClients.Create(server, ApiClients.Http2);
        var api = new NodeApi(http);
        await NodeSuite.WaitNodeReadyAsync(api, time).ConfigureAwait(false);
        await api.CreateNamespaceAsync("burst").ConfigureAwait(false);
        var log = new List<string>();
        if (options.Stages)
        {
            server.LineReceived += line =>
            {
                lock (log)
                {
                    log.Add(line);
                }
            };
        }
        Console.Error.WriteLine($"node bench: server pid {server.Pid}");
        Console.WriteLine($"load before: {LoadAverage.Read()}");
        Console.WriteLine("| burst | p50 ms | p99 ms | to bound p50 ms | pods/s | server CPU ms/pod | bench CPU ms/pod | rest of machine CPU ms/pod | store writes/pod |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        for (var b = 0; b <= warmBursts; b++)
        {
            var prefix = b == 0 ? "first" : $"warm{b}";
            var rev0 = await api.StoreRevisionAsync("burst").ConfigureAwait(false);
            var cpu0 = server.Cpu();
            var benchCpu0 = Environment.CpuUsage.TotalTime;
            var machineCpu0 = MachineCpu.Read();
            var anchor = (time.GetLocalNow(), time.GetTimestamp());
            TimeSpan? interval = options.BurstRate is { } rate ? TimeSpan.FromSeconds(1 / rate) : null;
            var result = await StartupBurst.RunAsync(server, api, "burst", prefix, options.BurstPods, options.BurstConcurrency, interval, time)
                .ConfigureAwait(false);
            var cpu = (server.Cpu() - cpu0).TotalMilliseconds / options.BurstPods;
            var benchCpu = (Environment.CpuUsage.TotalTime - benchCpu0).TotalMilliseconds / options.BurstPods;
            var restCpu = (MachineCpu.Read() - machineCpu0).TotalMilliseconds / options.BurstPods - cpu - benchCpu;
            await Task.Delay(WritesSettle, time).ConfigureAwait(false);
            var writes = (double)(await api.StoreRevisionAsync("burst").ConfigureAwait(false) - rev0) / options.BurstPods;
            Console.WriteLine($"| {prefix} | {result.Latency.P50:F0} | {result.Latency.P99:F0} | {result.ToBound.P50:F0} | {result.PodsPerSecond:F0} | {cpu:F1} | {benchCpu:F1} | {restCpu:F1} | {writes:F1} |");
            if (options.Stages && result.Times is { } times)
            {
                Console.WriteLine();
                await Task.Delay(TimeSpan.FromMilliseconds(200), time).ConfigureAwait(false);
                lock (log)
                {
                    Console.WriteLine(StageBreakdown.Render([.. log], times, anchor, time));
                    var warnings = log.Where(l => l.Contains(" warn: ", StringComparison.Ordinal) || l.Contains(" fail: ", StringComparison.Ordinal)).ToList();
                    Console.WriteLine($"server warnings and errors so far: {warnings.Count}");
                    warnings.Take(5).ToList().ForEach(w => Console.WriteLine("    " + w));
                    Console.WriteLine($"status writes that found their pod gone (5603) so far: {log.Count(l => l.Contains("[5603]", StringComparison.Ordinal))}");
                    Console.WriteLine($"status writes whose pod manager copy was behind, read first (5608) so far: {log.Count(l => l.Contains("[5608]", StringComparison.Ordinal))}");
                }
            }
            await GoneAfterDelete.RunAsync(server, api, "burst", StartupBurst.Names(prefix, options.BurstPods), options.DeleteConcurrency, time)
                .ConfigureAwait(false);
        }
        Console.WriteLine($"load after: {LoadAverage.Read()}");
    }
}
