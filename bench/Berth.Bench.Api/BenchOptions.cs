namespace Berth.Bench.Api;

/// <summary>
/// Command line of the API bench: <c>[--quick] [--berth PATH] [--only writes,reads,watch,startup,memory] [--server-env K=V]… [--server-arg ARG]…
/// [--alt-berth PATH]… [--rounds N] [--hold-seconds N]</c>. <c>--server-env</c> sets an environment variable of every
/// server child (e.g. a GC setting to try). Quick mode shrinks every phase so the whole run takes about a minute (for
/// developing the bench, not for figures). The last three only affect the <c>memory</c> suite (not in the default set).
/// </summary>
internal sealed record BenchOptions
{
    public static readonly string[] AllSuites = ["writes", "reads", "watch", "startup"];

    public bool Quick { get; init; }

    public required string BerthBinary { get; init; }

    public IReadOnlySet<string> Suites { get; init; } = new HashSet<string>(AllSuites);

    public IReadOnlyDictionary<string, string> ServerEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra <c>berth server</c> flags (<c>--server-arg</c>, repeatable), after the bench's own.</summary>
    public IReadOnlyList<string> ServerArguments { get; init; } = [];

    /// <summary>Operations per closed-loop phase (create or update) and the phase's time bound.</summary>
    public int WriteOps => Quick ? 150 : 1500;

    public TimeSpan PhaseLimit => Quick ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(20);

    /// <summary>Duration of each open-loop (paced) phase.</summary>
    public TimeSpan PacedDuration => Quick ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(10);

    public int ListRepeats => Quick ? 5 : 20;

    public int GetCount => Quick ? 300 : 2000;

    public int Watchers => Quick ? 20 : 100;

    public int Starts => Quick ? 2 : 5;

    /// <summary>Binaries the memory suite alternates between: <see cref="BerthBinary"/>, then each <c>--alt-berth</c>.</summary>
    public IReadOnlyList<string> Binaries { get; init; } = [];

    /// <summary>Rounds of the memory suite (each runs every binary once).</summary>
    public int MemoryRounds { get; init; } = 1;

    /// <summary>Seconds the memory suite keeps each server up after measuring it, for inspection.</summary>
    public int HoldSeconds { get; init; }

    public bool Has(string suite) => Suites.Contains(suite);

    public static BenchOptions Parse(string[] args)
    {
        var quick = false;
        string? berth = null;
        IReadOnlySet<string>? suites = null;
        var environment = new Dictionary<string, string>();
        var serverArgs = new List<string>();
        var alternates = new List<string>();
        var rounds = 1;
        var hold = 0;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick" or "quick":
                    quick = true;
                    break;
                case "--berth" when i + 1 < args.Length:
                    berth = args[++i];
                    break;
                case "--server-env" when i + 1 < args.Length && args[i + 1].Contains('='):
                    var pair = args[++i].Split('=', 2);
                    environment[pair[0]] = pair[1];
                    break;
                case "--server-arg" when i + 1 < args.Length:
                    serverArgs.Add(args[++i]);
                    break;
                case "--alt-berth" when i + 1 < args.Length:
                    alternates.Add(args[++i]);
                    break;
                case "--rounds" when i + 1 < args.Length && int.TryParse(args[i + 1], out var r) && r > 0:
                    rounds = r;
                    i++;
                    break;
                case "--hold-seconds" when i + 1 < args.Length && int.TryParse(args[i + 1], out var h) && h >= 0:
                    hold = h;
                    i++;
                    break;
                case "--only" when i + 1 < args.Length:
                    suites = new HashSet<string>(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries));
                    break;
                default:
                    throw new ArgumentException($"unknown argument {args[i]}; usage: [--quick] [--berth PATH] [--only {string.Join(',', AllSuites)},memory] [--server-env K=V] [--server-arg ARG]... " +
                        "[--alt-berth PATH]... [--rounds N] [--hold-seconds N]");
            }
        }
        var binary = berth ?? LocateBinary();
        foreach (var path in alternates.Prepend(binary))
        {
            if (!File.Exists(path))
            {
                throw new ArgumentException($"berth binary not found at {path}; build it with: dotnet build src/Berth.Server -c Release");
            }
        }
        return new BenchOptions
        {
            Quick = quick, BerthBinary = binary, Suites = suites ?? new HashSet<string>(AllSuites), ServerEnvironment = environment, ServerArguments = serverArgs,
            Binaries = [binary, .. alternates], MemoryRounds = rounds, HoldSeconds = hold,
        };
    }

    /// <summary>src/Berth.Server/bin/Release/net10.0/berth under the repository root above this assembly.</summary>
    private static string LocateBinary()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Berth.sln")))
        {
            dir = dir.Parent;
        }
        return dir is null
            ? throw new ArgumentException("repository root not found; pass --berth PATH")
            : Path.Combine(dir.FullName, "src", "Berth.Server", "bin", "Release", "net10.0", "berth");
    }
}
