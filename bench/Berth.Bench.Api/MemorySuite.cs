namespace Berth.Bench.Api;

/// <summary>
/// RSS only, for A/B of memory settings (<c>--only memory</c>): for each binary (<c>--berth</c>, plus every
/// <c>--alt-berth</c>), alternating, <see cref="BenchOptions.MemoryRounds"/> rounds, one fresh SQLite server each: VmRSS
/// 5 s after start, then the read suite's 3,000 pods (1,000 + 2,000 in two namespaces), VmRSS right after the last create
/// and again 10 s later with no requests. With <c>--hold-seconds N</c> the server stays up N seconds after that (its PID on
/// stderr) for dotnet-gcdump or /proc/PID/smaps.
/// </summary>
internal sealed class MemorySuite(BenchOptions options, TimeProvider time)
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SettleWait = TimeSpan.FromSeconds(10);

    public List<MemoryResult> Results { get; } = [];

    public async Task RunAsync()
    {
        for (var round = 0; round < options.MemoryRounds; round++)
        {
            foreach (var binary in options.Binaries)
            {
                Results.Add(await MeasureAsync(binary, round).ConfigureAwait(false));
            }
        }
    }

    private async Task<MemoryResult> MeasureAsync(string binary, int round)
    {
        var load = LoadAverage.Read();
        Progress.Say($"memory: round {round + 1}, {binary} (load {load})");
        var server = await ServerProcess.StartAsync(options with { BerthBinary = binary }, "sqlite", time).ConfigureAwait(false);
        await using (server.ConfigureAwait(false))
        {
            await DelayUntilAsync(server.SpawnedAt, IdleWait).ConfigureAwait(false);
            var idle = server.Memory();
            await PodLoader.LoadAsync(server, ReadSuite.SmallNamespace, 0, ReadSuite.SmallPods).ConfigureAwait(false);
            await PodLoader.LoadAsync(server, "list-rest", 0, ReadSuite.TotalPods - ReadSuite.SmallPods).ConfigureAwait(false);
            var stored = server.Memory();
            await Task.Delay(SettleWait, time).ConfigureAwait(false);
            var settled = server.Memory();
            Progress.Say($"memory: idle {idle.RssMb:F1}, stored {stored.RssMb:F1}, settled {settled.RssMb:F1} MiB");
            if (options.HoldSeconds > 0)
            {
                Progress.Say($"memory: holding server PID {server.Pid} for {options.HoldSeconds} s");
                await Task.Delay(TimeSpan.FromSeconds(options.HoldSeconds), time).ConfigureAwait(false);
            }
            return new MemoryResult(binary, round + 1, load, idle, stored, settled);
        }
    }

    private Task DelayUntilAsync(long since, TimeSpan wait)
    {
        var left = wait - time.GetElapsedTime(since);
        return left > TimeSpan.Zero ? Task.Delay(left, time) : Task.CompletedTask;
    }
}

/// <summary>One server's figures in the memory suite.</summary>
internal sealed record MemoryResult(string Binary, int Round, string Load, ProcessMemory Idle, ProcessMemory Stored, ProcessMemory Settled);
