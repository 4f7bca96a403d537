using System.Diagnostics;

namespace Berth.Bench.Rollout;

/// <summary>
/// What one rolling restart measured. Timestamps are <see cref="Stopwatch"/> ticks; <see cref="RestartAt"/> is just
/// before <c>kubectl rollout restart</c> was spawned and <see cref="RolledOutAt"/> the exit of <c>kubectl rollout
/// status</c> after it printed "successfully rolled out".
/// </summary>
internal sealed record RunResult(
    Variant Variant,
    int Repetition,
    long ClientStartedAt,
    long RestartAt,
    long RolledOutAt,
    long ClientStoppedAt,
    ServiceClient.LoopRecord[] Loops,
    ProxyScraper.View Proxy,
    Termination Termination)
{
    public TimeSpan RolloutWall => Stopwatch.GetElapsedTime(RestartAt, RolledOutAt);

    public TimeSpan ClientWall => Stopwatch.GetElapsedTime(ClientStartedAt, ClientStoppedAt);

    public int Count(Outcome outcome) => Loops.Sum(l => l.Counts[(int)outcome]);

    public int Requests => Loops.Sum(l => l.Counts.Sum());

    public int Failed => Requests - Count(Outcome.Ok);

    public IEnumerable<(long At, long Ended, Outcome Outcome)> Failures => Loops.SelectMany(l => l.Failures).OrderBy(f => f.At);

    /// <summary>Percentile <paramref name="p"/> of the successful requests' latency, in ms.</summary>
    public double LatencyMs(double p)
    {
        var all = Loops.SelectMany(l => l.LatencyMicros).Order().ToList();
        return all.Count == 0 ? double.NaN : all[Math.Clamp((int)Math.Ceiling(p / 100 * all.Count) - 1, 0, all.Count - 1)] / 1000;
    }

    /// <summary>Milliseconds from the restart to <paramref name="at"/> (negative before it).</summary>
    public double SinceRestartMs(long at) => (at - RestartAt) * 1000.0 / Stopwatch.Frequency;
}
