using System.Net;
using Berth.Bench.Proxy;
using Berth.Proxy;

// Usage: Berth.Bench.Proxy [--quick] [--only overhead,overhead-processes,udp,scale,reopen,propagation] [--berth PATH] [--probe-rate N] [--proxy-engine async|event-loop] [--proxy-mode userspace|ebpf] [--deletions N]
// Prints markdown on stdout, progress on stderr. Propagation needs the Release berth binary (built by scripts/bench.sh).
// overhead-processes runs the overhead bench with the backend and the proxies in child processes (serve-backend and
// serve-proxies are those children's roles, see OverheadHost).
if (args.Length == 2 && args[0] is "serve-backend" or "serve-proxies")
{
    return await OverheadHost.RunAsync(args[0], IPEndPoint.Parse(args[1]));
}
var quick = args.Contains("--quick") || args.Contains("quick");
var only = Arg("--only")?.Split(',') ?? ["overhead", "overhead-processes", "udp", "scale", "reopen", "propagation"];
var berth = Arg("--berth") ?? Path.Combine(AppContext.BaseDirectory, "../../../../../src/Berth.Server/bin/Release/net10.0/berth");

Console.WriteLine("### Service proxy (bench/Berth.Bench.Proxy)");
Console.WriteLine();
Console.WriteLine($"- {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine();
if (only.Contains("overhead"))
{
    Console.Error.WriteLine("proxy bench: overhead");
    await OverheadBench.RunAsync(quick, separateProcesses: false, Console.Out);
}
if (only.Contains("overhead-processes"))
{
    Console.Error.WriteLine("proxy bench: overhead, separate processes");
    await OverheadBench.RunAsync(quick, separateProcesses: true, Console.Out);
}
if (only.Contains("udp"))
{
    Console.Error.WriteLine("proxy bench: udp");
    await UdpOverheadBench.RunAsync(quick, Console.Out);
}
if (only.Contains("scale"))
{
    Console.Error.WriteLine("proxy bench: scale");
    await ScaleBench.RunAsync(quick, ProxyModes.TryParse(Arg("--proxy-mode"), out var scaleMode) ? scaleMode : ProxyMode.Ebpf, Console.Out);
}
if (only.Contains("reopen"))
{
    Console.Error.WriteLine("proxy bench: reopen");
    await ReopenBench.RunAsync(quick, Console.Out);
}
if (only.Contains("propagation"))
{
    Console.Error.WriteLine("proxy bench: propagation");
    await PropagationBench.RunAsync(Path.GetFullPath(berth), quick, int.Parse(Arg("--deletions") ?? "0", System.Globalization.CultureInfo.InvariantCulture), double.Parse(Arg("--probe-rate") ?? "0", System.Globalization.CultureInfo.InvariantCulture),
        Arg("--proxy-engine"), Arg("--proxy-mode"), Console.Out);
}
Console.WriteLine($"- Finished {DateTime.UtcNow:HH:mm} UTC, load average {File.ReadAllText("/proc/loadavg").Trim()}");
return 0;

string? Arg(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
