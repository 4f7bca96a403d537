using System.Text.Json;

namespace Berth.Bench.Api;

/// <summary>
/// LIST latency over one warmed HTTP/2 connection, sequentially: the full list as JSON, as a Table (what
/// <c>kubectl get</c> asks for), and as kubectl really fetches it (Table in pages of <c>limit=500</c>, timed over all
/// pages including parsing each page for its continue token). The first response of each kind is checked to hold
/// every pod; two unmeasured lists warm each kind up.
/// </summary>
internal sealed class ListBench(BenchOptions options, TimeProvider time)
{
    /// <summary>Bytes received and a (lazy, unmeasured) count of the pods in the response.</summary>
    private readonly record struct ListResult(int Bytes, Func<int> Count);

    /// <summary>Lists namespace <paramref name="ns"/>, or all namespaces when it is null; it must hold <paramref name="pods"/> pods.</summary>
    public async Task<IReadOnlyList<ListRow>> RunAsync(ServerProcess server, string? ns, int pods)
    {
        using var http = ApiClients.Create(server, ApiClients.Http2);
        var api = new BenchApi(http);
        return
        [
            await MeasureAsync(server, ns, pods, "JSON", () => WholeAsync(api, ns, table: false)).ConfigureAwait(false),
            await MeasureAsync(server, ns, pods, "Table", () => WholeAsync(api, ns, table: true)).ConfigureAwait(false),
            await MeasureAsync(server, ns, pods, "Table, limit=500 pages", () => PagedTableAsync(api, ns)).ConfigureAwait(false),
        ];
    }

    private async Task<ListRow> MeasureAsync(ServerProcess server, string? ns, int pods, string format, Func<Task<ListResult>> list)
    {
        var first = await list().ConfigureAwait(false);
        var count = first.Count();
        if (count != pods)
        {
            throw new BenchFailureException($"LIST {format} returned {count} pods, expected {pods}");
        }
        await list().ConfigureAwait(false);
        var latencies = new Latencies();
        var cpu = server.Cpu();
        for (var i = 0; i < options.ListRepeats; i++)
        {
            var t = time.GetTimestamp();
            await list().ConfigureAwait(false);
            latencies.Add(time.GetElapsedTime(t).TotalMilliseconds);
        }
        var cpuMs = (server.Cpu() - cpu).TotalMilliseconds / options.ListRepeats;
        return new ListRow(server.Store, pods, ns is null ? "all namespaces" : "one namespace", format, first.Bytes, latencies, cpuMs);
    }

    private static async Task<ListResult> WholeAsync(BenchApi api, string? ns, bool table)
    {
        var body = await api.ListPodsAsync(ns, table).ConfigureAwait(false);
        return new ListResult(body.Length, () => CountArray(body, table ? "rows" : "items"));
    }

    /// <summary>Follows <c>continue</c> tokens (at most 100 pages).</summary>
    private static async Task<ListResult> PagedTableAsync(BenchApi api, string? ns)
    {
        int rows = 0, bytes = 0;
        var token = "";
        for (var page = 0; page < 100; page++)
        {
            var query = "?limit=500" + (token.Length > 0 ? "&continue=" + Uri.EscapeDataString(token) : "");
            var body = await api.ListPodsAsync(ns, table: true, query).ConfigureAwait(false);
            bytes += body.Length;
            using var doc = JsonDocument.Parse(body);
            rows += doc.RootElement.GetProperty("rows").GetArrayLength();
            token = doc.RootElement.GetProperty("metadata").TryGetProperty("continue", out var c) ? c.GetString() ?? "" : "";
            if (token.Length == 0)
            {
                return new ListResult(bytes, () => rows);
            }
        }
        throw new BenchFailureException("paged LIST did not end within 100 pages");
    }

    private static int CountArray(byte[] body, string name)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty(name).GetArrayLength();
    }
}
