using System.Globalization;
using System.Text;
using Berth.Bench.Api;

namespace Berth.Bench.Node;

/// <summary>The markdown report of a node-bench run, with the issue-3 targets next to each figure.</summary>
internal static class NodeReport
{
    public static string Render(NodeBenchOptions options, NodeFigures f, DateTimeOffset started, TimeSpan took, string loadBefore, string loadAfter)
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"## Node agent benchmark{(options.Quick ? " (quick run: small phases, not for figures)" : "")}");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"- Date: {started:yyyy-MM-dd HH:mm} UTC, run took {took.TotalMinutes:F1} min");
        s.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {MachineInfo.Describe()}");
        s.AppendLine(CultureInfo.InvariantCulture, $"- Load average (1/5/15 min) before: {loadBefore}; after: {loadAfter}");
        s.AppendLine("- Server: `berth server --port 0 --store sqlite` (in-process node agent, process runtime), clients over HTTPS/HTTP/2, loopback");
        s.AppendLine();
        s.AppendLine("| figure | value | target | met |");
        s.AppendLine("|---|---|---|---|");
        var st = f.Startup;
        Row(s, $"startup burst of {st.Pods} pods ({options.BurstConcurrency} concurrent creates): create → Running seen by a watch, p50 / p99 / max",
            $"{st.Latency.P50:F0} / {st.Latency.P99:F0} / {st.Latency.Max:F0} ms", "p99 ≤ 150 ms", st.Latency.P99 <= 150);
        Row(s, "… of which create → bound by the scheduler (watch), p50 / p99", $"{st.ToBound.P50:F0} / {st.ToBound.P99:F0} ms", "—", null);
        Row(s, "startup burst rate (pods / s, first create → last Running)", $"{st.PodsPerSecond:F0} pods/s ({st.WallSeconds:F2} s)", "≥ 100 pods/s",
            st.PodsPerSecond >= 100);
        var warm = f.Warm;
        Row(s, $"warm burst of {warm.Burst.Pods} pods (the same, after the first burst's pods were deleted): p50 / p99 / max; rate",
            $"{warm.Burst.Latency.P50:F0} / {warm.Burst.Latency.P99:F0} / {warm.Burst.Latency.Max:F0} ms; {warm.Burst.PodsPerSecond:F0} pods/s; {warm.BurstCpuMsPerPod:F0} ms server CPU per pod",
            "p99 ≤ 150 ms, ≥ 100 pods/s", warm.Burst.Latency.P99 <= 150 && warm.Burst.PodsPerSecond >= 100);
        Row(s, $"paced: {warm.Paced.Pods} pods, one every {options.PacedInterval.TotalMilliseconds:F0} ms (warm): create → Running, p50 / p99 / max",
            $"{warm.Paced.Latency.P50:F0} / {warm.Paced.Latency.P99:F0} / {warm.Paced.Latency.Max:F0} ms (bound p50 {warm.Paced.ToBound.P50:F0} ms)",
            "p99 ≤ 150 ms", warm.Paced.Latency.P99 <= 150);
        Row(s, $"sustained: {warm.Sustained.Pods} pods, POSTs sent at {options.SustainedRate:F0} pods/s (warm, open loop): create → Running, p50 / p99 / max",
            $"{warm.Sustained.Latency.P50:F0} / {warm.Sustained.Latency.P99:F0} / {warm.Sustained.Latency.Max:F0} ms (bound p50 {warm.Sustained.ToBound.P50:F0} ms)",
            "p99 ≤ 150 ms at 100 pods/s", warm.Sustained.Latency.P99 <= 150);
        Row(s, "server CPU per pod: startup burst / deletion (CPU time of the server process ÷ pods)",
            $"{f.BurstCpuMsPerPod:F0} / {f.DeleteCpuMsPerPod:F0} ms", "—", null);
        Row(s, "store writes per started pod (store revisions from before the burst to 3 s after the last Running ÷ pods; all kinds)",
            $"{f.BurstWritesPerPod:F1}", "—", null);
        Row(s, $"TERM-ignoring pods, grace 1 s ({f.KillLate.Count}, {options.KillConcurrency} at a time): SIGKILL − deadline (accept + max(grace, 2 s)), p50 / p99 / max",
            $"{f.KillLate.P50:F0} / {f.KillLate.P99:F0} / {f.KillLate.Max:F0} ms", "p99 ≤ 50 ms", f.KillLate.P99 <= 50);
        Row(s, $"pods exiting on SIGTERM ({f.Gone.Count}, {options.DeleteConcurrency} at a time): DELETE → watch DELETED, p50 / p99 / max",
            $"{f.Gone.P50:F0} / {f.Gone.P99:F0} / {f.Gone.Max:F0} ms", "p99 ≤ 200 ms", f.Gone.P99 <= 200);
        Row(s, $"server RSS idle → with {st.Pods} idle pods", $"{f.Idle.RssMb:F0} → {f.WithPods.RssMb:F0} MiB (+{f.WithPods.RssMb - f.Idle.RssMb:F0})",
            "≤ +100 MB", f.WithPods.RssMb - f.Idle.RssMb <= 100);
        Row(s, $"server CPU idle → with {st.Pods} idle pods ({options.Window.TotalSeconds:F0} s windows)", $"{f.Idle.CpuPercent:F2} → {f.WithPods.CpuPercent:F2} % of a core",
            "≤ 2 %", f.WithPods.CpuPercent <= 2);
        return s.ToString();
    }

    private static void Row(StringBuilder s, string figure, string value, string target, bool? met) =>
        s.AppendLine(CultureInfo.InvariantCulture, $"| {figure} | {value} | {target} | {met switch { null => "—", true => "yes", false => "**no**" }} |");
}
