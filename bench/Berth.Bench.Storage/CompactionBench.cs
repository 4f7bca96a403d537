using System.Diagnostics;
using Berth.Storage;

namespace Berth.Bench.Storage;

/// <summary>Cost of compacting a backlog of superseded rows, in the store's small steps, while 200 writes/s continue.</summary>
internal static class CompactionBench
{
    public static async Task<string> RunAsync(BenchStores stores, int pods, int updates)
    {
        await using var store = BenchStores.Open(stores.NewPath(), SqliteSynchronousMode.Full);
        await BenchStores.LoadPodsAsync(store, pods);
        for (var done = 0; done < updates; done += 64)
        {
            await Task.WhenAll(Enumerable.Range(done, 64).Select(n => store.UpdateAsync(BenchPods.Key(n % pods), 0, BenchPods.Pod(n % pods, 1))));
        }
        var target = store.CurrentRevision;
        var during = new Latencies();
        using var cts = new CancellationTokenSource();
        var writer = WriteDuringAsync(store, pods, during, cts.Token);
        var started = Stopwatch.GetTimestamp();
        await store.CompactAsync(target);
        var totalMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await cts.CancelAsync();
        await writer;
        var steps = Math.Ceiling(target / (double)new StoreOptions().CompactionBatchSize);
        return $"| {target} | {steps} | {totalMs:F0} | {totalMs / steps:F1} | {during.Count} | {during.Summary} |";
    }

    public static string Header =>
        "| revisions compacted | steps | total ms | ms/step | writes during | write p50 / p99 / max ms |" + Environment.NewLine +
        "|---|---|---|---|---|---|";

    private static async Task WriteDuringAsync(IResourceStore store, int pods, Latencies latencies, CancellationToken cancellationToken)
    {
        for (var n = 0; !cancellationToken.IsCancellationRequested; n++)
        {
            var t = Stopwatch.GetTimestamp();
            await store.UpdateAsync(BenchPods.Key(n % pods), 0, BenchPods.Pod(n % pods, 2));
            latencies.Add(t);
            await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System);
        }
    }
}
