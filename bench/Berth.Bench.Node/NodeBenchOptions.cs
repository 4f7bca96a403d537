using Berth.Bench.Api;

namespace Berth.Bench.Node;

/// <summary>
/// Command line: <c>[--quick] [--bursts N [--stages] [--rate R]] [--berth PATH] [--server-env K=V]… [--server-arg ARG]…</c> (the server
/// options are those of the API bench). Quick mode shrinks every phase (figures not meaningful); <c>--bursts N</c> runs
/// only the first burst and N warm bursts (<see cref="BurstSeries"/>); <c>--stages</c> adds each burst's
/// <see cref="StageBreakdown"/> (with the server's debug logging on, so its CPU figures are not comparable);
/// <c>--rate R</c> sends every burst's POSTs at R per second instead of as fast as they go.
/// </summary>
internal sealed record NodeBenchOptions(BenchOptions Server, int? WarmBursts = null, bool Stages = false, double? BurstRate = null)
{
    public bool Quick => Server.Quick;

    public int BurstPods => Quick ? 30 : 100;

    public int BurstConcurrency => 16;

    public int DeleteConcurrency => 4;

    /// <summary>Pods of the paced phase, created one every <see cref="PacedInterval"/>.</summary>
    public int PacedPods => Quick ? 20 : 50;

    public TimeSpan PacedInterval => TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The rate target: the sustained phase sends <see cref="BurstPods"/> POSTs at this many per second
    /// (open loop) and times each pod from its own POST.
    /// </summary>
    public double SustainedRate => 100;

    public TimeSpan SustainedInterval => TimeSpan.FromSeconds(1 / SustainedRate);

    public int StubbornPods => Quick ? 6 : 30;

    public int KillConcurrency => Quick ? 3 : 5;

    public TimeSpan Settle => Quick ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(15);

    public TimeSpan Window => Quick ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(20);

    public static NodeBenchOptions Parse(string[] args)
    {
        var stages = args.Contains("--stages");
        args = [.. args.Where(a => a != "--stages")];
        double? rate = null;
        if (Array.IndexOf(args, "--rate") is var r and >= 0)
        {
            rate = r + 1 < args.Length && double.TryParse(args[r + 1], System.Globalization.CultureInfo.InvariantCulture, out var perSecond) && perSecond > 0
                ? perSecond
                : throw new ArgumentException("--rate needs a positive number of pods per second");
            args = [.. args.Take(r), .. args.Skip(r + 2)];
        }
        var at = Array.IndexOf(args, "--bursts");
        if (at < 0)
        {
            return stages || rate is not null ? throw new ArgumentException("--stages and --rate need --bursts N") : new(BenchOptions.Parse(args));
        }
        if (at + 1 >= args.Length || !int.TryParse(args[at + 1], out var bursts) || bursts < 0)
        {
            throw new ArgumentException("--bursts needs a count of warm bursts (0 or more)");
        }
        var server = BenchOptions.Parse([.. args.Take(at), .. args.Skip(at + 2)]);
        if (stages)
        {
            var environment = new Dictionary<string, string>(StageBreakdown.ServerEnvironment);
            foreach (var (name, value) in server.ServerEnvironment)
            {
                environment[name] = value;
            }
            server = server with { ServerEnvironment = environment };
        }
        return new(server, bursts, stages, rate);
    }
}
