using System.Text.Json.Nodes;
using Berth.Storage;
using Berth.Storage.Sqlite;

// Usage: StoreCrashWriter <database-path> <writers> <count> [normal]
// Writes <count> pods from <writers> concurrent writers and prints "ack <key> <revision>" after each acknowledged
// write. The crash test kills this process with SIGKILL mid-stream and checks every printed write survived.
var path = args[0];
var writers = int.Parse(args[1]);
var count = int.Parse(args[2]);
var mode = args.Length > 3 && args[3] == "normal" ? SqliteSynchronousMode.Normal : SqliteSynchronousMode.Full;
await using var store = SqliteResourceStore.Open(new StoreOptions { Path = path, Synchronous = mode }, TimeProvider.System);
var output = Console.Out;
var gate = new object();
Console.WriteLine("ready");
var next = -1;
await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < count)
    {
        var key = $"/pods/crash/p{i}";
        var pod = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = $"p{i}", ["namespace"] = "crash" },
            ["spec"] = new JsonObject { ["payload"] = new string('x', 1024) },
        };
        var stored = await store.CreateAsync(key, pod);
        lock (gate)
        {
            output.WriteLine($"ack {key} {stored.Revision}");
            output.Flush();
        }
    }
})));
