using Berth.Bench.Api;

namespace Berth.Bench.Node;

/// <summary>
/// Deletes running pods whose process exits on SIGTERM (<c>sleep</c> has no handler: SIGTERM's default action ends it,
/// exit 143) and times each from just before its DELETE to the watch's DELETED event, i.e. Killing, SIGTERM, exit,
/// terminal status write and the node agent's final DELETE. <c>concurrency</c> deletes are in flight at once.
/// </summary>
internal static class GoneAfterDelete
{
    public static async Task<Latencies> RunAsync(ServerProcess server, NodeApi api, string ns, IReadOnlyList<string> names, int concurrency,
        TimeProvider time)
    {
        using var watch = await PodWatch.OpenAsync(server, ns, time).ConfigureAwait(false);
        var sent = new long[names.Count];
        using var gate = new SemaphoreSlim(concurrency);
        await Task.WhenAll(names.Select(async (name, i) =>
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                sent[i] = time.GetTimestamp();
                await api.DeletePodAsync(ns, name).ConfigureAwait(false);
                await watch.WaitAsync(w => w.Deleted.ContainsKey(name), TimeSpan.FromSeconds(60), $"{name} DELETED").ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);

        var latency = new Latencies();
        for (var i = 0; i < names.Count; i++)
        {
            latency.Add(Ticks.Ms(sent[i], watch.Deleted[names[i]], time));
        }
        return latency;
    }
}
