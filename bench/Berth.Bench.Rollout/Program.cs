using System.Diagnostics;
using Berth.Bench.Api;
using Berth.Bench.Rollout;

// Usage: Berth.Bench.Rollout [--quick] [--repeat N] [--loops N] [--rate R] [--replicas N] [--berth PATH] [--keep-logs]
// Prints markdown on stdout, progress on stderr. Needs the Release berth binary and kubectl on PATH.
var options = RolloutOptions.Parse(args);
var time = TimeProvider.System;
var started = DateTime.UtcNow;
var loadBefore = LoadAverage.Read();
var example = await File.ReadAllTextAsync(options.ExampleManifest);

Console.Error.WriteLine("rollout bench: starting berth server");
await using var server = await BerthServer.StartAsync(options.BerthBinary, time);
var kubectl = new Kubectl(server.KubeconfigPath, Directory.CreateDirectory(Path.Combine(server.DataDir, "kubectl-cache")).FullName);
await WaitForApiAsync(kubectl, time);

var run = new RolloutRun(server, kubectl, options, time);
var results = new List<RunResult>();
for (var repetition = 1; repetition <= options.Repetitions; repetition++)
{
    // Alternate which variant goes first, so neither always runs on the fresher (or more loaded) server.
    Variant[] order = repetition % 2 == 1 ? [Variant.WithPreStop, Variant.Baseline] : [Variant.Baseline, Variant.WithPreStop];
    foreach (var variant in order)
    {
        Console.Error.WriteLine($"rollout bench: {variant.Name}, run {repetition} (load {LoadAverage.Read()})");
        var result = await run.RunAsync(variant, repetition, example);
        Console.Error.WriteLine($"rollout bench: rolled out in {result.RolloutWall.TotalSeconds:F1} s, {result.Requests} requests, {result.Failed} failed");
        results.Add(result);
    }
}
if (options.KeepLogs)
{
    var log = Path.Combine(Path.GetTempPath(), $"berth-bench-rollout-{started:yyyyMMdd-HHmmss}.log");
    var origin = results[0].RestartAt;
    await File.WriteAllLinesAsync(log, server.Lines().Select(l => $"{(l.At - origin) * 1000.0 / Stopwatch.Frequency,12:F1} ms  {l.Line}"));
    Console.Error.WriteLine($"rollout bench: server log (ms relative to the first restart) in {log}");
}

Console.WriteLine("### Rolling restart (bench/Berth.Bench.Rollout, issue 5 §4)");
Console.WriteLine();
Console.WriteLine($"- {started:yyyy-MM-dd HH:mm}–{DateTime.UtcNow:HH:mm} UTC; {MachineInfo.Describe()}");
Console.WriteLine($"- Load average before / after: {loadBefore} / {LoadAverage.Read()}");
Console.WriteLine($"- One `berth server` (SQLite store), examples/hello-deployment.yaml with {options.Replicas} replicas (maxSurge 1, maxUnavailable 0, " +
    $"grace 5 s, readiness every 1 s); client: {options.ClientDescription}, a new TCP connection per `GET /` to the ClusterIP; " +
    $"{options.Repetitions} run(s) per variant, alternating");
Console.WriteLine();
RolloutReport.WriteRuns(Console.Out, results);
RolloutReport.WriteSummary(Console.Out, results);
RolloutReport.WriteTermination(Console.Out, results);
RolloutReport.WriteFailureTimes(Console.Out, results);
return 0;

static async Task WaitForApiAsync(Kubectl kubectl, TimeProvider time)
{
    var deadline = Stopwatch.GetTimestamp() + 60 * Stopwatch.Frequency;
    while ((await kubectl.RunAsync(["get", "ns", "default"])).ExitCode != 0)
    {
        if (Stopwatch.GetTimestamp() > deadline)
        {
            throw new TimeoutException("namespace default never appeared");
        }
        await Task.Delay(TimeSpan.FromMilliseconds(200), time);
    }
}
