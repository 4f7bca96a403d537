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
    }

    /// <summary>Per run with failures: each failure kind's count and first/last time relative to the restart command.</summary>
    public static void WriteFailureTimes(TextWriter report, IReadOnlyList<RunResult> runs)
    {
        var failing = runs.Where(r => r.Failed > 0).ToList();
        if (failing.Count == 0)
        {
            report.WriteLine("No request failed in any run.");
            report.WriteLine();
            return;
        }
        report.WriteLine("Failed requests by start time, ms after `kubectl rollout restart` was spawned (rolled out at the time in brackets):");
        report.WriteLine();
        foreach (var r in failing)
        {
            var kinds = r.Failures.GroupBy(f => f.Outcome).Select(g =>
                Invariant($"{Header(g.Key)} ×{g.Count()} at {r.SinceRestartMs(g.First().At):F0}–{r.SinceRestartMs(g.Last().At):F0}"));
            report.WriteLine(Invariant($"- {r.Variant.Name}, run {r.Repetition} [{r.RolloutWall.TotalMilliseconds:F0}]: {string.Join("; ", kinds)}"));
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
