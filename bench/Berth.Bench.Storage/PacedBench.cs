using System.Collections.Concurrent;
using System.Diagnostics;
using Berth.Storage;

namespace Berth.Bench.Storage;

/// <summary>
/// Open-loop updates at a fixed rate against a store holding <c>pods</c> objects, with <c>watchers</c> watching the
/// whole prefix. Reports mutating latency and submit→watcher delivery latency (an upper bound of commit→watcher).
/// </summary>
internal static class PacedBench
{
    public static async Task<string> RunAsync(BenchStores stores, int pods, int ratePerSecond, TimeSpan duration, int watchers)
    {
        await using var store = BenchStores.Open(stores.NewPath(), SqliteSynchronousMode.Full);
        await BenchStores.LoadPodsAsync(store, pods);
        var submitted = new ConcurrentDictionary<string, long>();
        var delivery = new Latencies();
        var watches = Enumerable.Range(0, watchers).Select(_ => store.Watch("/pods/", store.CurrentRevision)).ToList();
        var readers = watches.Select(w => Task.Run(async () =>
        {
            await foreach (var change in w.Events.ReadAllAsync())
            {
                var now = Stopwatch.GetTimestamp();
                if (submitted.TryGetValue(change.Object.Key, out var t))
                {
                    delivery.AddMs(Stopwatch.GetElapsedTime(t, now).TotalMilliseconds);
                }
            }
        })).ToList();
        var writes = await PaceAsync(store, submitted, pods, ratePerSecond, duration);
        await Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System);
        watches.ForEach(w => w.Dispose());
        await Task.WhenAll(readers);
        return $"| {pods} | {ratePerSecond} | {watchers} | {writes.Count} | {writes.Summary} | {delivery.Count} | {delivery.Summary} |";
    }

    public static string Header =>
        "| pods | writes/s | watchers | writes | mutate p50 / p99 / max ms | deliveries | delivery p50 / p99 / max ms |" + Environment.NewLine +
        "|---|---|---|---|---|---|---|";

    private static async Task<Latencies> PaceAsync(IResourceStore store, ConcurrentDictionary<string, long> submitted, int pods, int rate, TimeSpan duration)
    {
        var latencies = new Latencies();
        var inFlight = new List<Task>();
        var total = (int)(rate * duration.TotalSeconds);
        var start = Stopwatch.GetTimestamp();
        for (var n = 0; n < total; n++)
        {
            var due = TimeSpan.FromSeconds((double)n / rate) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, TimeProvider.System);
            }
            var key = BenchPods.Key(n % pods);
            var value = BenchPods.Pod(n % pods, n / pods + 1);
            inFlight.Add(Task.Run(async () =>
            {
                var t = Stopwatch.GetTimestamp();
                submitted[key] = t;
                await store.UpdateAsync(key, 0, value);
                latencies.Add(t);
            }));
        }
        await Task.WhenAll(inFlight);
        return latencies;
    }
}
