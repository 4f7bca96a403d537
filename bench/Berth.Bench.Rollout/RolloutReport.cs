using System.Globalization;

namespace Berth.Bench.Rollout;

/// <summary>Writes the markdown of a finished run: one row per rolling restart, a summary per variant, the failures' times.</summary>
internal static class RolloutReport
{
    private static readonly Outcome[] FailureKinds = [.. Enum.GetValues<Outcome>().Where(o => o != Outcome.Ok)];

    public static void WriteRuns(TextWriter report, IReadOnlyList<RunResult> runs)
    {
        report.WriteLine("| variant | run | restart → rolled out s | requests | req/s | failed | " +
            string.Join(" | ", FailureKinds.Select(Header)) + " | p50 ms | p99 ms | proxy: connections / dial failures / rejected |");
        report.WriteLine("|---|---:|---:|---:|---:|---:|" + string.Concat(FailureKinds.Select(_ => "---:|")) + "---:|---:|---|");
        foreach (var r in runs)
        {
            report.WriteLine(Invariant($"| {r.Variant.Name} | {r.Repetition} | {r.RolloutWall.TotalSeconds:F1} | {r.Requests} | ") +
                Invariant($"{r.Requests / r.ClientWall.TotalSeconds:F0} | {Bold(r.Failed)} | ") +
                string.Join(" | ", FailureKinds.Select(k => r.Count(k).ToString(CultureInfo.InvariantCulture))) +
                Invariant($" | {r.LatencyMs(50):F2} | {r.LatencyMs(99):F2} | {ProxyCell(r.Proxy)} |"));
        }
        report.WriteLine();
    }

    public static void WriteSummary(TextWriter report, IReadOnlyList<RunResult> runs)
    {
        report.WriteLine("| variant | runs | restart → rolled out s (each) | requests | failed | failed per 1,000 requests |");
        report.WriteLine("|---|---:|---|---:|---:|---:|");
        foreach (var group in runs.GroupBy(r => r.Variant))
        {
            var requests = group.Sum(r => r.Requests);
            var failed = group.Sum(r => r.Failed);
            report.WriteLine(Invariant($"| {group.Key.Name} | {group.Count()} | {string.Join(", ", group.Select(r => r.RolloutWall.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)))} | ") +
                Invariant($"{requests} | {Bold(failed)} | {(requests == 0 ? 0 : failed * 1000.0 / requests):F2} |"));
        }
        report.WriteLine();
        var withHook = runs.Where(r => r.Variant.PreStop).Sum(r => r.RolloutWall.TotalSeconds);
        var baseline = runs.Where(r => !r.Variant.PreStop).Sum(r => r.RolloutWall.TotalSeconds);
        if (withHook > 0 && baseline > 0)
        {
            report.WriteLine(Invariant($"Restart → rolled out, preStop ÷ baseline (sum over runs, same server): ×{withHook / baseline:F2}"));
            report.WriteLine();
        }
    }

    /// <summary>Per run: how the old pods' removal from the Service and their stop signals were ordered.</summary>
    public static void WriteTermination(TextWriter report, IReadOnlyList<RunResult> runs)
    {
        report.WriteLine("| variant | run | old pods | kubelet saw the deletion → endpoint left the ready set, ms (min / median / max) | endpoint left the ready set → SIGTERM, ms (min / median / max) |");
        report.WriteLine("|---|---:|---:|---|---|");
        foreach (var r in runs)
        {
            var toLeft = r.Termination.LeftReadyAfterTerminatingMs();
            var toTerm = r.Termination.SigTermAfterLeftReadyMs();
            report.WriteLine(Invariant($"| {r.Variant.Name} | {r.Repetition} | {r.Termination.SigTerm.Count} | {Spread(toLeft)} | {Spread(toTerm)} |"));
        }
        report.WriteLine();
    }

    /// <summary>Per run with failures: each failure's time after the restart, its kind, and the latest SIGTERM before it.</summary>
    public static void WriteFailureTimes(TextWriter report, IReadOnlyList<RunResult> runs)
    {
        var failing = runs.Where(r => r.Failed > 0).ToList();
        if (failing.Count == 0)
        {
            report.WriteLine("No request failed in any run.");
            report.WriteLine();
            return;
        }
        report.WriteLine("Failed requests (at most 12 per run): start of the request in ms after `kubectl rollout restart` was spawned, " +
            "its kind and duration, and the nearest SIGTERM (\"Killing container\" log line) relative to the request's start:");
        report.WriteLine();
        foreach (var r in failing)
        {
            var items = r.Failures.Take(12).Select(f => Invariant($"{r.SinceRestartMs(f.At):F0} {Header(f.Outcome)} after {(f.Ended - f.At) * 1000.0 / System.Diagnostics.Stopwatch.Frequency:F0} ms") +
                (r.Termination.NearestSigTerm(f.At) is { } t ? Invariant($" (SIGTERM to {t.Pod} at {Signed(t.Ms)} ms)") : " (no SIGTERM)"));
            report.WriteLine(Invariant($"- {r.Variant.Name}, run {r.Repetition} (rolled out at {r.RolloutWall.TotalMilliseconds:F0}): {string.Join("; ", items)}"));
        }
        report.WriteLine();
    }

    private static string ProxyCell(ProxyScraper.View view)
    {
        if (view.Scrapes == 0)
        {
            return $"not scraped ({view.Error ?? "no answer"})";
        }
        double Sum(string name) => view.Counters.TryGetValue(name, out var c) ? c.Sum : 0;
        return Invariant($"{Sum("berth_proxy_endpoint_connections_total"):F0} / {Sum("berth_proxy_endpoint_dial_failures_total"):F0} / {Sum("berth_proxy_rejected_connections_total"):F0}");
    }

    private static string Signed(double ms) => Math.Round(ms) > 0 ? "+" + Whole(ms) : Whole(ms);

    private static string Spread(IReadOnlyList<double> sorted) => sorted.Count == 0
        ? "–"
        : $"{Whole(sorted[0])} / {Whole(sorted[sorted.Count / 2])} / {Whole(sorted[^1])}";

    /// <summary>Rounded to whole ms, without a "-0".</summary>
    private static string Whole(double ms) => (Math.Round(ms) + 0.0).ToString("F0", CultureInfo.InvariantCulture);

    private static string Bold(int failed) => failed == 0 ? "0" : $"**{failed}**";

    private static string Header(Outcome outcome) => outcome switch
    {
        Outcome.Refused => "refused",
        Outcome.ResetBeforeResponse => "reset before response",
        Outcome.ResetDuringResponse => "reset during response",
        Outcome.ClosedBeforeResponse => "closed before response",
        Outcome.ClosedDuringResponse => "closed during response",
        Outcome.Timeout => "timeout (5 s)",
        Outcome.Non2xx => "non-2xx",
        _ => "other socket error",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
