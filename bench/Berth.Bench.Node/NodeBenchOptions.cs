using Berth.Bench.Api;

namespace Berth.Bench.Node;

/// <summary>
/// Command line: <c>[--quick] [--berth PATH] [--server-env K=V]…</c> (the server options are those of the API bench).
/// Quick mode shrinks every phase (figures not meaningful).
/// </summary>
internal sealed record NodeBenchOptions(BenchOptions Server)
{
    public bool Quick => Server.Quick;

    public int BurstPods => Quick ? 30 : 100;

    public int BurstConcurrency => 16;

    public int DeleteConcurrency => 4;

    /// <summary>Pods of the paced phase, created one every <see cref="PacedInterval"/>.</summary>
    public int PacedPods => Quick ? 20 : 50;

    public TimeSpan PacedInterval => TimeSpan.FromMilliseconds(100);

    public int StubbornPods => Quick ? 6 : 30;

    public int KillConcurrency => Quick ? 3 : 5;

    public TimeSpan Settle => Quick ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(15);

    public TimeSpan Window => Quick ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(20);

    public static NodeBenchOptions Parse(string[] args) => new(BenchOptions.Parse(args));
}
