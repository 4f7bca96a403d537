namespace Berth.Bench.Api;

/// <summary>
/// Watch fan-out at <paramref name="Rate"/> writes/s to <paramref name="Watchers"/> watchers: <paramref name="Delivered"/>
/// of <paramref name="Expected"/> watcher×event pairs arrived; latency from just before the write was sent to arrival;
/// <paramref name="CpuMsPerWrite"/> is server CPU per write including its fan-out.
/// </summary>
internal sealed record WatchRow(
    string Store, int Watchers, int Rate, int Writes, int Expected, int Delivered, Latencies Latencies, Latencies WriteLatencies,
    double CpuMsPerWrite)
{
    /// <summary>Watchers the server ended with an ERROR event (e.g. too slow to keep up) before the run was over.</summary>
    public int Dropped { get; init; }
}
