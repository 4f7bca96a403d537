namespace Berth.Bench.Api;

/// <summary>The memory suite's table: one row per server, in the order they ran.</summary>
internal static class MemoryReport
{
    public static string Table(IReadOnlyList<MemoryResult> results) =>
        Markdown.Table(
            ["round", "binary", "load before", "idle", "idle anon / file / shmem", "3,000 pods", "3,000 pods + 10 s", "+10 s anon / file / shmem", "≤ 150 MB"],
            results.Select(r => (IReadOnlyList<string>)
            [
                r.Round.ToString(System.Globalization.CultureInfo.InvariantCulture), $"`{r.Binary}`", r.Load, Markdown.Num(r.Idle.RssMb, 1), Parts(r.Idle),
                Markdown.Num(r.Stored.RssMb, 1), Markdown.Num(r.Settled.RssMb, 1), Parts(r.Settled),
                Markdown.Verdict(Math.Max(r.Stored.RssMb, r.Settled.RssMb) * 1.048576 <= 150),
            ]));

    private static string Parts(ProcessMemory m) =>
        $"{Markdown.Num(m.AnonRssMb, 1)} / {Markdown.Num(m.FileRssMb, 1)} / {Markdown.Num(m.ShmemRssMb, 1)}";
}
