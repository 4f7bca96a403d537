namespace Berth.Bench.Api;

/// <summary>Markdown for the read and memory figures, each with a ratio against the memory store.</summary>
internal static class ReadReport
{
    public static string Gets(IReadOnlyList<ReadResult> results) => Markdown.Table(
        ["store", "protocol", "p50 ms", "p99 ms", "max ms", "server CPU ms/GET", "p99 vs memory", "p99 ≤ 5 ms"],
        results.SelectMany(r => r.Gets.Select(g =>
        {
            var b = r.Store == "memory" ? null : results.FirstOrDefault(x => x.Store == "memory")?.Gets.FirstOrDefault(x => x.Protocol == g.Protocol).Latencies;
            return (IReadOnlyList<string>)
            [
                r.Store, g.Protocol, Markdown.Ms(g.Latencies.P50), Markdown.Ms(g.Latencies.P99), Markdown.Ms(g.Latencies.Max), Markdown.Ms(g.CpuMs),
                Markdown.Ratio(g.Latencies.P99, b?.P99), Markdown.Verdict(g.Latencies.P99 <= 5),
            ];
        })));

    public static string Lists(IReadOnlyList<ReadResult> results) => Markdown.Table(
        ["store", "pods", "scope", "format", "KiB", "p50 ms", "p99 ms", "max ms", "server CPU ms/LIST", "p50 vs memory", "p99 ≤ 150 ms (3,000)"],
        results.SelectMany(r => r.Lists).Select(l =>
        {
            var b = l.Store == "memory" ? null : results.SelectMany(r => r.Lists).FirstOrDefault(x => x.Store == "memory" && x.Pods == l.Pods && x.Format == l.Format);
            return (IReadOnlyList<string>)
            [
                l.Store, l.Pods.ToString(), l.Scope, l.Format, Markdown.Num(l.Bytes / 1024.0), Markdown.Ms(l.Latencies.P50),
                Markdown.Ms(l.Latencies.P99), Markdown.Ms(l.Latencies.Max), Markdown.Ms(l.CpuMsPerList), Markdown.Ratio(l.Latencies.P50, b?.Latencies.P50),
                l.Pods == 3000 ? Markdown.Verdict(l.Latencies.P99 <= 150) : "",
            ];
        }));

    public static string Memory(IReadOnlyList<ReadResult> results)
    {
        var b = results.FirstOrDefault(x => x.Store == "memory");
        return Markdown.Table(
            ["store", "idle RSS MiB (start + 5 s)", "RSS MiB, 3,000 pods stored", "of which anonymous", "RSS MiB after GETs and LISTs",
                "peak RSS MiB", "stored vs memory", "3,000 stored ≤ 150 MB"],
            results.Select(r => (IReadOnlyList<string>)
            [
                r.Store, Markdown.Num(r.Idle.RssMb, 1), Markdown.Num(r.Stored.RssMb, 1), Markdown.Num(r.Stored.AnonRssMb, 1),
                Markdown.Num(r.AfterLists.RssMb, 1),
                Markdown.Num(r.AfterLists.PeakRssMb, 1), r.Store == "memory" ? "–" : Markdown.Ratio(r.Stored.RssMb, b?.Stored.RssMb),
                Markdown.Verdict(r.Stored.RssMb * 1.048576 <= 150),
            ]));
    }
}
