using System.Net;

namespace Berth.Bench.Proxy;

/// <summary>
/// Runs the same load against several targets in alternating short slices (the order rotates every round) and adds
/// up each target's slices, so that all targets see the same background load on a shared machine: one long phase
/// per target lets a burst of other work land on one target only, which swamps the difference being measured.
/// </summary>
internal static class InterleavedLoad
{
    public sealed record Side(double RequestsPerSecond, double P50Micros, double P99Micros, int Errors, int Requests);

    public static async Task<Side[]> RunAsync(IReadOnlyList<IPEndPoint> targets, int clients, bool keepAlive, TimeSpan slice, int rounds)
    {
        var latencies = targets.Select(_ => new Latencies()).ToArray();
        var seconds = new double[targets.Count];
        var errors = new int[targets.Count];
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < targets.Count; k++)
            {
                var i = (round + k) % targets.Count;
                var result = await HttpLoad.RunSliceAsync(targets[i], clients, keepAlive, slice);
                latencies[i].AddRange(result.Latencies);
                seconds[i] += result.Seconds;
                errors[i] += result.Errors;
            }
        }
        return [.. targets.Select((_, i) => new Side(latencies[i].Count / seconds[i], latencies[i].Percentile(50),
            latencies[i].Percentile(99), errors[i], latencies[i].Count))];
    }
}
