namespace Berth.Bench.Api;

/// <summary>Markdown for the write suite: closed loop, open loop and watch, each with a ratio against the memory store.</summary>
internal static class WriteReport
{
    public static string Closed(IReadOnlyList<WriteRow> rows) => Markdown.Table(
        ["store", "protocol", "clients", "op", "ops", "writes/s", "p50 ms", "p99 ms", "max ms", "server CPU ms/op", "writes/s vs memory", "p99 vs memory"],
        rows.Select(r =>
        {
            var b = Baseline(rows, r, x => x.Protocol == r.Protocol && x.Clients == r.Clients);
            return (IReadOnlyList<string>)
            [
                r.Store, r.Protocol, r.Clients.ToString(), r.Operation, r.Ops.ToString(), Markdown.Num(r.Rate),
                Markdown.Ms(r.Latencies.P50), Markdown.Ms(r.Latencies.P99), Markdown.Ms(r.Latencies.Max), Markdown.Ms(r.CpuMsPerOp),
                Markdown.Ratio(r.Rate, b?.Rate), Markdown.Ratio(r.Latencies.P99, b?.Latencies.P99),
            ];
        }));

    /// <summary>Open-loop rows; <c>Clients</c> holds the target rate.</summary>
    public static string Paced(IReadOnlyList<WriteRow> rows) => Markdown.Table(
        ["store", "op", "target writes/s", "sent/s", "ops", "p50 ms", "p99 ms", "max ms", "server CPU ms/op", "p99 vs memory", "p99 ≤ 20 ms"],
        rows.Select(r =>
        {
            var b = Baseline(rows, r, x => x.Clients == r.Clients);
            return (IReadOnlyList<string>)
            [
                r.Store, r.Operation, r.Clients.ToString(), Markdown.Num(r.Rate), r.Ops.ToString(),
                Markdown.Ms(r.Latencies.P50), Markdown.Ms(r.Latencies.P99), Markdown.Ms(r.Latencies.Max), Markdown.Ms(r.CpuMsPerOp),
                Markdown.Ratio(r.Latencies.P99, b?.Latencies.P99), Markdown.Verdict(r.Latencies.P99 <= 20),
            ];
        }));

    public static string Watch(IReadOnlyList<WatchRow> rows) => Markdown.Table(
        ["store", "watchers", "writes/s", "writes", "delivered / expected", "watchers dropped", "p50 ms", "p99 ms", "max ms", "write p99 ms", "server CPU ms/write", "p99 vs memory", "p99 ≤ 20 ms"],
        rows.Select(r =>
        {
            var b = r.Store == "memory" ? null : rows.FirstOrDefault(x => x.Store == "memory" && x.Rate == r.Rate && x.Watchers == r.Watchers);
            return (IReadOnlyList<string>)
            [
                r.Store, r.Watchers.ToString(), r.Rate.ToString(), r.Writes.ToString(), $"{r.Delivered} / {r.Expected}", r.Dropped.ToString(),
                Markdown.Ms(r.Latencies.P50), Markdown.Ms(r.Latencies.P99), Markdown.Ms(r.Latencies.Max), Markdown.Ms(r.WriteLatencies.P99), Markdown.Ms(r.CpuMsPerWrite),
                Markdown.Ratio(r.Latencies.P99, b?.Latencies.P99), Markdown.Verdict(r.Latencies.P99 <= 20 && r.Delivered == r.Expected),
            ];
        }));

    /// <summary>The memory-store row measuring the same thing, for a non-memory row.</summary>
    private static WriteRow? Baseline(IReadOnlyList<WriteRow> rows, WriteRow row, Func<WriteRow, bool> same) =>
        row.Store == "memory" ? null : rows.FirstOrDefault(x => x.Store == "memory" && x.Operation == row.Operation && same(x));
}
