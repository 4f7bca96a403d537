using Berth.Bench.Api;

namespace Berth.Bench.Node;

/// <summary>Every figure of one node-bench run.</summary>
internal sealed record NodeFigures(OverheadSample Idle, StartupResult Startup, OverheadSample WithPods, Latencies Gone, Latencies KillLate,
    double BurstCpuMsPerPod, double DeleteCpuMsPerPod, double BurstWritesPerPod, WarmFigures Warm);

/// <summary>The phases on a warmed-up server: a second burst (JIT done by the first) and paced creates.</summary>
internal sealed record WarmFigures(StartupResult Burst, double BurstCpuMsPerPod, StartupResult Paced, StartupResult Sustained);

/// <summary>
/// One run against one fresh server (default SQLite store): idle overhead → startup burst → overhead with the burst's
/// pods idle → deletion of those pods (exit on SIGTERM) → a second (warm) burst, deleted → paced creates, deleted →
/// SIGKILL precision on TERM-ignoring pods.
/// </summary>
internal static class NodeSuite
{
    private static readonly TimeSpan BurstWritesSettle = TimeSpan.FromSeconds(3);

    public static async Task<NodeFigures> RunAsync(NodeBenchOptions options, TimeProvider time)
    {
        await using var server = await ServerProcess.StartAsync(options.Server, "sqlite", time).ConfigureAwait(false);
        using var http = ApiClients.Create(server, ApiClients.Http2);
        var api = new NodeApi(http);
        await WaitNodeReadyAsync(api, time).ConfigureAwait(false);
        await api.CreateNamespaceAsync("burst").ConfigureAwait(false);
        await api.CreateNamespaceAsync("kill").ConfigureAwait(false);

        Console.Error.WriteLine("node bench: idle overhead");
        var idle = await Overhead.MeasureAsync(server, options.Settle, options.Window, time).ConfigureAwait(false);
        Console.Error.WriteLine($"node bench: startup burst of {options.BurstPods} pods");
        var rev0 = await api.StoreRevisionAsync("burst").ConfigureAwait(false);
        var cpu0 = server.Cpu();
        var startup = await StartupBurst.RunAsync(server, api, "burst", "idle", options.BurstPods, options.BurstConcurrency, null, time)
            .ConfigureAwait(false);
        var burstCpu = (server.Cpu() - cpu0).TotalMilliseconds / options.BurstPods;
        // Events are written after the pods run: give the last ones time to land before counting the writes.
        await Task.Delay(BurstWritesSettle, time).ConfigureAwait(false);
        var burstWrites = (double)(await api.StoreRevisionAsync("burst").ConfigureAwait(false) - rev0) / options.BurstPods;
        Console.Error.WriteLine("node bench: overhead with idle pods");
        var withPods = await Overhead.MeasureAsync(server, options.Settle, options.Window, time).ConfigureAwait(false);
        Console.Error.WriteLine("node bench: delete pods that exit on SIGTERM");
        var cpu1 = server.Cpu();
        var gone = await GoneAfterDelete.RunAsync(server, api, "burst", StartupBurst.Names("idle", options.BurstPods), options.DeleteConcurrency, time)
            .ConfigureAwait(false);
        var deleteCpu = (server.Cpu() - cpu1).TotalMilliseconds / options.BurstPods;
        var warm = await RunWarmAsync(server, api, options, time).ConfigureAwait(false);
        Console.Error.WriteLine($"node bench: SIGKILL precision on {options.StubbornPods} pods");
        var late = await KillPrecision.RunAsync(server, api, "kill", options.StubbornPods, options.KillConcurrency, time).ConfigureAwait(false);
        return new NodeFigures(idle, startup, withPods, gone, late, burstCpu, deleteCpu, burstWrites, warm);
    }

    private static async Task<WarmFigures> RunWarmAsync(ServerProcess server, NodeApi api, NodeBenchOptions options, TimeProvider time)
    {
        Console.Error.WriteLine($"node bench: warm burst of {options.BurstPods} pods");
        var cpu = server.Cpu();
        var burst = await StartupBurst.RunAsync(server, api, "burst", "warm", options.BurstPods, options.BurstConcurrency, null, time)
            .ConfigureAwait(false);
        var burstCpu = (server.Cpu() - cpu).TotalMilliseconds / options.BurstPods;
        await GoneAfterDelete.RunAsync(server, api, "burst", StartupBurst.Names("warm", options.BurstPods), options.DeleteConcurrency, time)
            .ConfigureAwait(false);
        Console.Error.WriteLine($"node bench: {options.PacedPods} paced pods, one every {options.PacedInterval.TotalMilliseconds:F0} ms");
        var paced = await StartupBurst.RunAsync(server, api, "burst", "paced", options.PacedPods, options.BurstConcurrency, options.PacedInterval, time)
            .ConfigureAwait(false);
        await GoneAfterDelete.RunAsync(server, api, "burst", StartupBurst.Names("paced", options.PacedPods), options.DeleteConcurrency, time)
            .ConfigureAwait(false);
        Console.Error.WriteLine($"node bench: {options.BurstPods} pods at {options.SustainedRate:F0} pods/s");
        var sustained = await StartupBurst.RunAsync(server, api, "burst", "rate", options.BurstPods, options.BurstConcurrency, options.SustainedInterval, time)
            .ConfigureAwait(false);
        await GoneAfterDelete.RunAsync(server, api, "burst", StartupBurst.Names("rate", options.BurstPods), options.DeleteConcurrency, time)
            .ConfigureAwait(false);
        return new WarmFigures(burst, burstCpu, paced, sustained);
    }

    public static async Task WaitNodeReadyAsync(NodeApi api, TimeProvider time)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await api.NodeReadyAsync().ConfigureAwait(false))
            {
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), time).ConfigureAwait(false);
        }
        throw new BenchFailureException("the node never became Ready");
    }
}
