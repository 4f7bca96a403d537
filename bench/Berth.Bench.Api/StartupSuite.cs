namespace Berth.Bench.Api;

/// <summary>
/// Start to <c>/readyz</c> 200 with a fresh data directory (CA and serving certificate generated), per store. One
/// unmeasured start comes first so the bench's own first TLS handshake (OpenSSL and X509 chain code loading in this
/// process) is not charged to the server. Then the idle resident memory of one more fresh server, and on SQLite, when
/// the read suite is not selected (it measures them over its own data), the restarts over 3,000 stored pods.
/// </summary>
internal sealed class StartupSuite(BenchOptions options, TimeProvider time)
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(5);

    public List<StartupResult> Results { get; } = [];

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
        var idle = await IdleMemoryAsync(store).ConfigureAwait(false);
        var restart = store == "sqlite" && !options.Has("reads")
            ? await StoredPodRestarts.FillAndMeasureAsync(options, time).ConfigureAwait(false)
            : (StartupProbe.Timing?)null;
        Results.Add(new StartupResult(store, Median(timings), timings.Count, idle, restart));
    }

    /// <summary>VmRSS of a fresh server 5 s after its spawn (the same moment the read suite's idle figure is taken).</summary>
    private async Task<ProcessMemory> IdleMemoryAsync(string store)
    {
        var server = await ServerProcess.StartAsync(options, store, time).ConfigureAwait(false);
        await using (server.ConfigureAwait(false))
        {
            var left = IdleWait - time.GetElapsedTime(server.SpawnedAt);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, time).ConfigureAwait(false);
            }
            var memory = server.Memory();
            Progress.Say($"startup/{store}: idle RSS {memory.RssMb:F1} MiB ({memory.AnonRssMb:F1} anonymous, {memory.FileRssMb:F1} file, {memory.ShmemRssMb:F1} shared)");
            return memory;
        }
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
