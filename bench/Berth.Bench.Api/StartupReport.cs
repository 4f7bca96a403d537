namespace Berth.Bench.Api;

/// <summary>Markdown for the start-up figures (ratios against the memory store's fresh start) and idle memory.</summary>
internal static class StartupReport
{
    public static string Startup(IReadOnlyList<StartupResult> startup, IReadOnlyList<ReadResult> reads)
    {
        var b = startup.FirstOrDefault(x => x.Store == "memory")?.Fresh;
        var rows = startup.Select(f => Row(f.Store, $"fresh data dir (median of {f.Starts})", f.Fresh, f.Store == "memory" ? null : b)).ToList();
        var restarts = startup.Where(r => r.Restart is not null).Select(r => (r.Store, Timing: r.Restart!.Value))
            .Concat(reads.Where(r => r.Restart is not null).Select(r => (r.Store, Timing: r.Restart!.Value)));
        foreach (var (store, timing) in restarts)
        {
            rows.Add(Row(store, "restart over 3,000 stored pods (median of ≤ 3)", timing, b));
        }
        return Markdown.Table(["store", "start", "spawn → serving line ms", "spawn → /readyz 200 ms", "that /readyz request ms", "server CPU ms by then", "vs memory (fresh)", "≤ 1.5 s"], rows);
    }

    /// <summary>Resident memory of an idle fresh server, split as /proc reports it (see <see cref="ProcessMemory"/>).</summary>
    public static string IdleMemory(IReadOnlyList<StartupResult> startup) => Markdown.Table(
        ["store", "idle RSS MiB (start + 5 s)", "anonymous MiB", "file-backed MiB", "shared (JIT code) MiB", "peak RSS MiB"],
        startup.Select(r => (IReadOnlyList<string>)
        [
            r.Store, Markdown.Num(r.Idle.RssMb, 1), Markdown.Num(r.Idle.AnonRssMb, 1), Markdown.Num(r.Idle.FileRssMb, 1), Markdown.Num(r.Idle.ShmemRssMb, 1),
            Markdown.Num(r.Idle.PeakRssMb, 1),
        ]));

    private static IReadOnlyList<string> Row(string store, string start, StartupProbe.Timing t, StartupProbe.Timing? baseline) =>
    [
        store, start, Markdown.Ms(t.ServingMs), Markdown.Ms(t.ReadyMs), Markdown.Ms(t.ReadyRequestMs), Markdown.Ms(t.CpuAtReadyMs),
        baseline is { } m ? Markdown.Ratio(t.ReadyMs, m.ReadyMs) : "–", Markdown.Verdict(t.ReadyMs <= 1500),
    ];
}
