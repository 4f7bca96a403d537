namespace Berth.Bench.Api;

/// <summary>
/// Unmeasured traffic on a fresh server so JIT tiering, SQLite page cache and connection pools settle before any
/// phase is timed: creates, updates, GETs and LISTs of <c>count</c> pods in namespace <c>warmup</c>.
/// </summary>
internal static class Warmup
{
    public static async Task RunAsync(ServerProcess server, int count)
    {
        const string ns = "warmup";
        await PodLoader.LoadAsync(server, ns, 0, count).ConfigureAwait(false);
        using var pool = await ClientPool.OpenAsync(server, ApiClients.Http2, 4).ConfigureAwait(false);
        var next = -1;
        await Task.WhenAll(pool.Apis.Select(api => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await api.UpdatePodAsync(ns, i, i + 1).ConfigureAwait(false);
                await api.GetPodAsync(ns, i).ConfigureAwait(false);
                if (i % 50 == 0)
                {
                    await api.ListPodsAsync(ns, table: i % 100 == 0).ConfigureAwait(false);
                }
            }
        }))).ConfigureAwait(false);
    }
}
