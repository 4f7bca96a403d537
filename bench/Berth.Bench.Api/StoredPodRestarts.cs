namespace Berth.Bench.Api;

/// <summary>
/// Start-to-ready over a SQLite data directory holding <see cref="ReadSuite.TotalPods"/> pods: the read suite's
/// directory when it ran, otherwise one the start-up suite fills itself (1,000 pods in one namespace, 2,000 in another,
/// as the read suite does). The directory is deleted afterwards.
/// </summary>
internal static class StoredPodRestarts
{
    /// <summary>At most this many restarts (each loads the whole store), fewer in quick mode.</summary>
    private const int MaxRestarts = 3;

    /// <summary>Starts a server, creates the pods, stops it, and measures the restarts over its data directory.</summary>
    public static async Task<StartupProbe.Timing> FillAndMeasureAsync(BenchOptions options, TimeProvider time)
    {
        Progress.Say($"startup/sqlite: creating {ReadSuite.TotalPods} pods for the restarts (load {LoadAverage.Read()})");
        var server = await ServerProcess.StartAsync(options, "sqlite", time).ConfigureAwait(false);
        await using (server.ConfigureAwait(false))
        {
            await PodLoader.LoadAsync(server, ReadSuite.SmallNamespace, 0, ReadSuite.SmallPods).ConfigureAwait(false);
            await PodLoader.LoadAsync(server, "list-rest", 0, ReadSuite.TotalPods - ReadSuite.SmallPods).ConfigureAwait(false);
            await server.StopAsync(keepData: true).ConfigureAwait(false);
            return await MeasureAsync(options, time, server.DataDir).ConfigureAwait(false);
        }
    }

    /// <summary>Median start-to-ready of the restarts over <paramref name="dataDir"/>, which is deleted afterwards.</summary>
    public static async Task<StartupProbe.Timing> MeasureAsync(BenchOptions options, TimeProvider time, string dataDir)
    {
        Progress.Say($"sqlite: restarting over {ReadSuite.TotalPods} pods (load {LoadAverage.Read()})");
        var timings = new List<StartupProbe.Timing>();
        try
        {
            for (var i = 0; i < Math.Min(MaxRestarts, options.Starts); i++)
            {
                var timing = await new StartupProbe(options, time).MeasureAsync("sqlite", dataDir).ConfigureAwait(false);
                Progress.Say($"sqlite restart: /readyz 200 {timing.ReadyMs:F0} ms, server CPU {timing.CpuAtReadyMs:F0} ms");
                timings.Add(timing);
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
        return StartupSuite.Median(timings);
    }
}
