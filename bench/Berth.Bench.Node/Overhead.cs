using Berth.Bench.Api;

namespace Berth.Bench.Node;

/// <summary>The server's resident memory (MiB, at the end of the window) and CPU use (% of one core over the window).</summary>
internal sealed record OverheadSample(double RssMb, double CpuPercent);

/// <summary>Measures the berth server process (API + store + in-process node agent) from /proc over a quiet window.</summary>
internal static class Overhead
{
    public static async Task<OverheadSample> MeasureAsync(ServerProcess server, TimeSpan settle, TimeSpan window, TimeProvider time)
    {
        await Task.Delay(settle, time).ConfigureAwait(false);
        var cpu0 = server.Cpu();
        var t0 = time.GetTimestamp();
        await Task.Delay(window, time).ConfigureAwait(false);
        var cpu1 = server.Cpu();
        var seconds = Ticks.Ms(t0, time.GetTimestamp(), time) / 1000;
        return new OverheadSample(server.Memory().RssMb, (cpu1 - cpu0).TotalSeconds / seconds * 100);
    }
}
