namespace Berth.Bench.Api;

/// <summary>
/// N independent API clients, each with its own connection (like N kubectl or controller processes), warmed up with
/// one request each so TLS handshakes are not measured. Disposing closes every connection.
/// </summary>
internal sealed class ClientPool : IDisposable
{
    private readonly List<HttpClient> _clients;

    private ClientPool(List<HttpClient> clients)
    {
        _clients = clients;
        Apis = [.. clients.Select(c => new BenchApi(c))];
    }

    public IReadOnlyList<BenchApi> Apis { get; }

    public static async Task<ClientPool> OpenAsync(ServerProcess server, Version version, int count)
    {
        var pool = new ClientPool([.. Enumerable.Range(0, count).Select(_ => ApiClients.Create(server, version))]);
        await Task.WhenAll(pool._clients.Select(async c =>
        {
            using var response = await c.GetAsync("/version").ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
        })).ConfigureAwait(false);
        return pool;
    }

    public void Dispose() => _clients.ForEach(c => c.Dispose());
}
