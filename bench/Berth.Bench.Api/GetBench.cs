namespace Berth.Bench.Api;

/// <summary>Sequential GETs of random existing pods over one warmed connection (200 unmeasured GETs first).</summary>
internal sealed class GetBench(BenchOptions options, TimeProvider time)
{
    private const int WarmUp = 200;

    public async Task<(Latencies Latencies, double CpuMsPerGet)> RunAsync(ServerProcess server, Version version, string ns, int pods)
    {
        using var http = ApiClients.Create(server, version);
        var api = new BenchApi(http);
        var random = new Random(42);
        var latencies = new Latencies();
        var cpu = TimeSpan.Zero;
        for (var n = 0; n < WarmUp + options.GetCount; n++)
        {
            if (n == WarmUp)
            {
                cpu = server.Cpu();
            }
            var t = time.GetTimestamp();
            await api.GetPodAsync(ns, random.Next(pods)).ConfigureAwait(false);
            if (n >= WarmUp)
            {
                latencies.Add(time.GetElapsedTime(t).TotalMilliseconds);
            }
        }
        return (latencies, (server.Cpu() - cpu).TotalMilliseconds / options.GetCount);
    }
}
