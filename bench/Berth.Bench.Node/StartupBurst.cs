using Berth.Bench.Api;

namespace Berth.Bench.Node;

/// <summary>Result of a pod-startup burst: create-sent → Running-observed latency per pod, and the burst's rate.</summary>
internal sealed record StartupResult(int Pods, Latencies Latency, double PodsPerSecond, double WallSeconds, Latencies ToBound)
{
    /// <summary>Per-pod timestamps of the burst, for <see cref="StageBreakdown"/>.</summary>
    public BurstTimes? Times { get; init; }
}

/// <summary>
/// Creates <c>count</c> long-running pods (<c>sleep 3600</c>, no nodeName: the scheduler binds them) and times each
/// from just before its POST to the first watch event showing phase Running. Without <c>interval</c> the pods are
/// created as fast as <c>concurrency</c> concurrent requests allow (a burst: the figure includes queueing); with it,
/// the i-th POST is sent at start + i × interval (paced: the figure is one pod's start-up on a node that keeps up).
/// The pods are left running (later phases use or delete them).
/// </summary>
internal static class StartupBurst
{
    public static async Task<StartupResult> RunAsync(ServerProcess server, NodeApi api, string ns, string prefix, int count, int concurrency,
        TimeSpan? interval, TimeProvider time)
    {
        using var watch = await PodWatch.OpenAsync(server, ns, time).ConfigureAwait(false);
        var sent = new long[count];
        var created = new long[count];
        using var gate = new SemaphoreSlim(concurrency);
        var first = time.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            if (interval is { } every && time.GetElapsedTime(first) is var elapsed && every * i > elapsed)
            {
                await Task.Delay(every * i - elapsed, time).ConfigureAwait(false);
            }
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                sent[i] = time.GetTimestamp();
                await api.CreatePodAsync(ns, NodeApi.Pod(Name(prefix, i), 30, "/bin/sleep", "3600")).ConfigureAwait(false);
                created[i] = time.GetTimestamp();
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        await watch.WaitAsync(w => w.Running.Count >= count, TimeSpan.FromSeconds(120), $"{count} pods Running").ConfigureAwait(false);

        var latency = new Latencies();
        var toBound = new Latencies();
        var last = first;
        for (var i = 0; i < count; i++)
        {
            var running = watch.Running[Name(prefix, i)];
            latency.Add(Ticks.Ms(sent[i], running, time));
            toBound.Add(Ticks.Ms(sent[i], watch.Bound.GetValueOrDefault(Name(prefix, i), running), time));
            last = Math.Max(last, running);
        }
        var wall = Ticks.Ms(first, last, time) / 1000;
        var names = Names(prefix, count);
        var times = new BurstTimes(names, sent, created, [.. names.Select(n => watch.Bound.GetValueOrDefault(n))], [.. names.Select(n => watch.Running[n])]);
        return new StartupResult(count, latency, count / wall, wall, toBound) { Times = times };
    }

    public static string Name(string prefix, int i) => $"{prefix}-{i:D3}";

    public static IReadOnlyList<string> Names(string prefix, int count) => [.. Enumerable.Range(0, count).Select(i => Name(prefix, i))];
}
