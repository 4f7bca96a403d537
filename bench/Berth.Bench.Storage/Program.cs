using Berth.Bench.Storage;

// Store-level benchmark of the SQLite store (not the HTTP API). "quick" shrinks every phase.
var quick = args.Contains("quick");
using var stores = new BenchStores();

Console.WriteLine("## Reads and memory (3,000 realistic pods, loaded from disk)");
Console.WriteLine(ReadBench.Header);
Console.WriteLine(await ReadBench.RunAsync(stores, 3000));
Console.WriteLine();

Console.WriteLine("## Closed-loop writes");
Console.WriteLine(await WriteBench.RunAsync(stores, quick ? 500 : 3000));
Console.WriteLine();

Console.WriteLine("## Paced updates (synchronous=FULL) with watchers on /pods/");
Console.WriteLine(PacedBench.Header);
var duration = TimeSpan.FromSeconds(quick ? 3 : 10);
Console.WriteLine(await PacedBench.RunAsync(stores, 3000, 200, duration, 0));
Console.WriteLine(await PacedBench.RunAsync(stores, 3000, 200, duration, 100));
Console.WriteLine(await PacedBench.RunAsync(stores, 3000, 1000, duration, 100));
Console.WriteLine();

Console.WriteLine("## Compaction of a backlog (default step size) with writes continuing");
Console.WriteLine(CompactionBench.Header);
Console.WriteLine(await CompactionBench.RunAsync(stores, 3000, quick ? 6000 : 30000));
