using Berth.Bench.Proxy;

// Usage: Berth.Bench.Proxy [--quick] [--only overhead,scale,reopen,propagation] [--berth PATH]
// Prints markdown on stdout, progress on stderr. Propagation needs the Release berth binary (built by scripts/bench.sh).
var quick = args.Contains("--quick") || args.Contains("quick");
var only = Arg("--only")?.Split(',') ?? ["overhead", "scale", "reopen", "propagation"];
var berth = Arg("--berth") ?? Path.Combine(AppContext.BaseDirectory, "../../../../../src/Berth.Server/bin/Release/net10.0/berth");

Console.WriteLine("### Service proxy (bench/Berth.Bench.Proxy)");
Console.WriteLine();
Console.WriteLine($"- {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine();
if (only.Contains("overhead"))
{
    Console.Error.WriteLine("proxy bench: overhead");
    await OverheadBench.RunAsync(quick, Console.Out);
}
if (only.Contains("scale"))
{
    Console.Error.WriteLine("proxy bench: scale");
    await ScaleBench.RunAsync(quick, Console.Out);
}
if (only.Contains("reopen"))
{
    Console.Error.WriteLine("proxy bench: reopen");
    await ReopenBench.RunAsync(quick, Console.Out);
}
if (only.Contains("propagation"))
{
    Console.Error.WriteLine("proxy bench: propagation");
    await PropagationBench.RunAsync(Path.GetFullPath(berth), quick, Console.Out);
}
Console.WriteLine($"- Finished {DateTime.UtcNow:HH:mm} UTC, load average {File.ReadAllText("/proc/loadavg").Trim()}");
return 0;

string? Arg(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
