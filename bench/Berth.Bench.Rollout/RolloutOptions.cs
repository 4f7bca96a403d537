using System.Globalization;

namespace Berth.Bench.Rollout;

/// <summary>
/// Command line of the bench: <c>[--quick] [--repeat N] [--loops N] [--rate R] [--replicas N] [--berth PATH]
/// [--example PATH] [--keep-logs]</c>. Immutable once parsed.
/// </summary>
internal sealed record RolloutOptions(
    int Repetitions, int Loops, double Rate, int Replicas, string BerthBinary, string ExampleManifest, bool KeepLogs)
{
    /// <summary>Parses <paramref name="args"/>; paths default to the repository layout next to this build.</summary>
    public static RolloutOptions Parse(string[] args)
    {
        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
        var quick = args.Contains("--quick") || args.Contains("quick");
        return new RolloutOptions(
            Repetitions: Int(args, "--repeat") ?? (quick ? 1 : 2),
            Loops: Int(args, "--loops") ?? 4,
            Rate: Value(args, "--rate") is { } rate ? double.Parse(rate, CultureInfo.InvariantCulture) : 0,
            Replicas: Int(args, "--replicas") ?? 10,
            BerthBinary: Path.GetFullPath(Value(args, "--berth") ?? Path.Combine(root, "src/Berth.Server/bin/Release/net10.0/berth")),
            ExampleManifest: Path.GetFullPath(Value(args, "--example") ?? Path.Combine(root, "examples/hello-deployment.yaml")),
            KeepLogs: args.Contains("--keep-logs"));
    }

    /// <summary>How the client is driven, for the report.</summary>
    public string ClientDescription => Rate > 0
        ? $"{Loops} loops paced to {Rate.ToString("0", CultureInfo.InvariantCulture)} requests/s in total"
        : $"{Loops} closed loops, as fast as possible";

    private static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static int? Int(string[] args, string name) =>
        Value(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;
}
