using System.Diagnostics;
using Berth.Storage;

namespace Berth.Bench.Storage;

/// <summary>Closed-loop writers: each writer creates then updates its own keys as fast as acknowledgements come back.</summary>
internal static class WriteBench
{
    public static async Task<string> RunAsync(BenchStores stores, int opsPerConfig)
    {
        var rows = new List<string>
        {
            "| sync | writers | creates/s | create p50 / p99 / max ms | updates/s | update p50 / p99 / max ms |",
            "|---|---|---|---|---|---|",
        };
        foreach (var mode in new[] { SqliteSynchronousMode.Full, SqliteSynchronousMode.Normal })
        {
            foreach (var writers in new[] { 1, 8, 32 })
            {
                await using var store = BenchStores.Open(stores.NewPath(), mode);
                var (createRate, creates) = await PhaseAsync(writers, opsPerConfig, i => store.CreateAsync(BenchPods.Key(i), BenchPods.Pod(i)));
                var (updateRate, updates) = await PhaseAsync(writers, opsPerConfig, i => store.UpdateAsync(BenchPods.Key(i), 0, BenchPods.Pod(i, 1)));
                rows.Add($"| {mode} | {writers} | {createRate:F0} | {creates.Summary} | {updateRate:F0} | {updates.Summary} |");
            }
        }
        return string.Join(Environment.NewLine, rows);
    }

    private static async Task<(double Rate, Latencies Latencies)> PhaseAsync(int writers, int ops, Func<int, Task> op)
    {
        var latencies = new Latencies();
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < ops)
            {
                var t = Stopwatch.GetTimestamp();
                await op(i);
                latencies.Add(t);
            }
        })));
        return (ops / Stopwatch.GetElapsedTime(started).TotalSeconds, latencies);
    }
}
