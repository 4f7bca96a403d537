namespace Berth.Bench.Api;

/// <summary>Start to <c>/readyz</c> 200 with a fresh data directory (CA and serving certificate generated), per store.</summary>
internal sealed class StartupSuite(BenchOptions options, TimeProvider time)
{
    public List<(string Store, StartupProbe.Timing Median, int Starts)> Results { get; } = [];

    public async Task RunAsync(string store)
    {
        Progress.Say($"startup/{store}: {options.Starts} fresh starts (load {LoadAverage.Read()})");
        var timings = new List<StartupProbe.Timing>();
        for (var i = 0; i < options.Starts; i++)
        {
            timings.Add(await new StartupProbe(options, time).MeasureAsync(store).ConfigureAwait(false));
        }
        Results.Add((store, Median(timings), timings.Count));
    }

    /// <summary>Median of each figure independently.</summary>
    public static StartupProbe.Timing Median(IReadOnlyList<StartupProbe.Timing> timings) =>
        new(MedianOf(timings.Select(t => t.ServingMs)), MedianOf(timings.Select(t => t.ReadyMs)));

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
