using Berth.Bench.Api;

// API-level benchmark of a real `berth server` child process over HTTPS. Prints a markdown report on stdout and
// progress on stderr. Usage: [--quick] [--berth PATH] [--only writes,reads,watch,startup,memory] [--server-env K=V]…
// See bench/README.md.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
var time = TimeProvider.System;
var stores = new[] { "sqlite", "memory" };
var started = time.GetUtcNow();
var loadBefore = LoadAverage.Read();

var startup = new StartupSuite(options, time);
var reads = new ReadSuite(options, time);
var writes = new WriteSuite(options, time);
var memory = new MemorySuite(options, time);
try
{
    if (options.Has("memory"))
    {
        await memory.RunAsync();
    }
    foreach (var store in stores)
    {
        if (options.Has("startup"))
        {
            await startup.RunAsync(store);
        }
        if (options.Has("reads"))
        {
            await reads.RunAsync(store);
        }
        if (options.Has("writes") || options.Has("watch"))
        {
            await writes.RunAsync(store);
        }
    }
}
catch (Exception e) when (e is BenchFailureException or HttpRequestException or TimeoutException or TaskCanceledException or InvalidOperationException)
{
    Console.Error.WriteLine($"bench failed: {e}");
    return 1;
}

var elapsed = time.GetUtcNow() - started;
Console.WriteLine($"## API benchmark{(options.Quick ? " (quick run: short phases, not for figures)" : "")}");
Console.WriteLine();
Console.WriteLine($"- Date: {started:yyyy-MM-dd HH:mm} UTC, run took {elapsed.TotalMinutes:F1} min");
Console.WriteLine($"- Machine: {MachineInfo.Describe()}");
Console.WriteLine($"- Load average (1/5/15 min) before: {loadBefore}; after: {LoadAverage.Read()}");
Console.WriteLine("- Server: `berth server --port 0 --store sqlite|memory` (default SQLite store: synchronous=FULL, WAL), " +
    "clients over HTTPS with bearer token, loopback; ratios are against the memory store measured in the same run.");
if (options.ServerEnvironment.Count > 0)
{
    Console.WriteLine($"- Server environment: {string.Join(", ", options.ServerEnvironment.Select(e => $"`{e.Key}={e.Value}`"))}");
}
Console.WriteLine();
if (options.Has("writes"))
{
    Console.WriteLine($"### Closed-loop writes (each client its own connection; ≤ {options.WriteOps} ops or {options.PhaseLimit.TotalSeconds:F0} s per phase)");
    Console.WriteLine();
    Console.WriteLine(WriteReport.Closed(writes.Closed));
    Console.WriteLine($"### Open-loop writes at {WriteSuite.PacedRate}/s for {options.PacedDuration.TotalSeconds:F0} s (8 HTTP/2 connections)");
    Console.WriteLine();
    Console.WriteLine(WriteReport.Paced(writes.Paced));
}
if (options.Has("watch"))
{
    Console.WriteLine($"### Watch delivery (send of the PUT → event line at each watcher; {options.PacedDuration.TotalSeconds:F0} s of paced updates)");
    Console.WriteLine();
    Console.WriteLine(WriteReport.Watch(writes.Watch));
}
if (options.Has("reads"))
{
    Console.WriteLine($"### GET of one pod (sequential, one connection, {options.GetCount} GETs of random pods among 3,000 stored)");
    Console.WriteLine();
    Console.WriteLine(ReadReport.Gets(reads.Results));
    Console.WriteLine($"### LIST (sequential, one HTTP/2 connection, {options.ListRepeats} lists each after 2 unmeasured)");
    Console.WriteLine();
    Console.WriteLine(ReadReport.Lists(reads.Results));
    Console.WriteLine("### Memory (VmRSS of the server process)");
    Console.WriteLine();
    Console.WriteLine(ReadReport.Memory(reads.Results));
}
if (options.Has("startup"))
{
    Console.WriteLine("### Start-up (poll /readyz every 5 ms from the spawn)");
    Console.WriteLine();
    Console.WriteLine(StartupReport.Startup(startup.Results, reads.Results));
    Console.WriteLine("### Idle memory of a fresh server (VmRSS, RssAnon)");
    Console.WriteLine();
    Console.WriteLine(StartupReport.IdleMemory(startup.Results));
}
if (options.Has("memory"))
{
    Console.WriteLine("### Memory A/B (VmRSS MiB; SQLite store; idle = start + 5 s; 3,000 pods: right after the last create, and 10 s later)");
    Console.WriteLine();
    Console.WriteLine(MemoryReport.Table(memory.Results));
}
return 0;
