namespace Berth.Bench.Api;

/// <summary>Creates pods [<c>from</c>, <c>to</c>) in a namespace with 8 concurrent clients (not measured).</summary>
internal static class PodLoader
{
    private const int Concurrency = 8;

    public static async Task LoadAsync(ServerProcess server, string ns, int from, int to)
    {
        using var pool = await ClientPool.OpenAsync(server, ApiClients.Http2, Concurrency).ConfigureAwait(false);
        await pool.Apis[0].EnsureNamespaceAsync(ns).ConfigureAwait(false);
        var next = from - 1;
        await Task.WhenAll(pool.Apis.Select(api => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < to)
            {
                await api.CreatePodAsync(ns, i, 0).ConfigureAwait(false);
            }
        }))).ConfigureAwait(false);
    }
}
