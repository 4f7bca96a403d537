namespace Berth.Bench.Rollout;

/// <summary>One way of running the example app: with its <c>preStop: sleep 1</c> hook, or without any lifecycle block.</summary>
internal sealed record Variant(string Name, bool PreStop)
{
    public static readonly Variant WithPreStop = new("preStop: sleep 1", PreStop: true);

    public static readonly Variant Baseline = new("no preStop (baseline)", PreStop: false);

    /// <summary>A namespace name for repetition <paramref name="repetition"/> of this variant.</summary>
    public string Namespace(int repetition) => $"{(PreStop ? "prestop" : "baseline")}-{repetition}";
}
