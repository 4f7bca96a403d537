using System.Diagnostics;
using Berth.Storage;

namespace Berth.Bench.Storage;

/// <summary>GET and LIST latency, open time and memory with <c>pods</c> objects loaded from disk.</summary>
internal static class ReadBench
{
    public static async Task<string> RunAsync(BenchStores stores, int pods)
    {
        var path = stores.NewPath();
        await using (var seed = BenchStores.Open(path, SqliteSynchronousMode.Full))
        {
            await BenchStores.LoadPodsAsync(seed, pods);
        }
        Collect();
        var before = Process.GetCurrentProcess().WorkingSet64;
        var heapBefore = GC.GetTotalMemory(true);
        var opening = Stopwatch.GetTimestamp();
        await using var store = BenchStores.Open(path, SqliteSynchronousMode.Full);
        var openMs = Stopwatch.GetElapsedTime(opening).TotalMilliseconds;
        Collect();
        var heapDelta = (GC.GetTotalMemory(true) - heapBefore) / 1048576.0;
        var rss = Process.GetCurrentProcess().WorkingSet64 / 1048576.0;
        var rssDelta = (Process.GetCurrentProcess().WorkingSet64 - before) / 1048576.0;

        var gets = new Latencies();
        var random = new Random(42);
        for (var i = 0; i < 20_000; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await store.GetAsync(BenchPods.Key(random.Next(pods)));
            gets.Add(t);
        }
        var bytes = (await store.ListAsync("/pods/")).Items.Average(i => i.Value.Length);
        var lists = new Latencies();
        for (var i = 0; i < 100; i++)
        {
            var t = Stopwatch.GetTimestamp();
            var list = await store.ListAsync("/pods/");
            lists.Add(t);
            if (list.Items.Count != pods)
            {
                throw new InvalidOperationException("list returned the wrong number of pods");
            }
        }
        return $"| {pods} | {bytes:F0} | {openMs:F0} | {heapDelta:F1} | {rssDelta:F1} | {rss:F1} | {gets.Summary} | {lists.Summary} |";
    }

    public static string Header =>
        "| pods | bytes/pod | open ms | heap Δ MB | RSS Δ MB | RSS MB | GET p50 / p99 / max ms | LIST-all p50 / p99 / max ms |" + Environment.NewLine +
        "|---|---|---|---|---|---|---|---|";

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
