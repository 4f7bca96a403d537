namespace Berth.Bench.Api;

/// <summary>
/// Start to <c>/readyz</c> 200 with a fresh data directory (CA and serving certificate generated), per store. One
/// unmeasured start comes first so the bench's own first TLS handshake (OpenSSL and X509 chain code loading in this
/// process) is not charged to the server.
/// </summary>
internal sealed class StartupSuite(BenchOptions options, TimeProvider time)
{
    public List<(string Store, StartupProbe.Timing Median, int Starts)> Results { get; } = [];

    private bool _warmedUp;

    public async Task RunAsync(string store)
    {
        var probe = new StartupProbe(options, time);
        if (!_warmedUp)
        {
            await probe.MeasureAsync(store).ConfigureAwait(false);
            _warmedUp = true;
        }
        Progress.Say($"startup/{store}: {options.Starts} fresh starts (load {LoadAverage.Read()})");
        var timings = new List<StartupProbe.Timing>();
        for (var i = 0; i < options.Starts; i++)
        {
            var timing = await probe.MeasureAsync(store).ConfigureAwait(false);
            Progress.Say($"startup/{store}: serving line {timing.ServingMs:F0} ms, /readyz 200 {timing.ReadyMs:F0} ms (that request {timing.ReadyRequestMs:F0} ms), server CPU {timing.CpuAtReadyMs:F0} ms");
            timings.Add(timing);
        }
        Results.Add((store, Median(timings), timings.Count));
    }

    /// <summary>Median of each figure independently.</summary>
    public static StartupProbe.Timing Median(IReadOnlyList<StartupProbe.Timing> timings) =>
        new(MedianOf(timings.Select(t => t.ServingMs)), MedianOf(timings.Select(t => t.ReadyMs)), MedianOf(timings.Select(t => t.ReadyRequestMs)),
            MedianOf(timings.Select(t => t.CpuAtReadyMs)));

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
