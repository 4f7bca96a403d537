using Berth.Storage;
using Berth.Storage.Sqlite;

namespace Berth.Bench.Storage;

/// <summary>Fresh SQLite stores in a scratch directory that is deleted at the end.</summary>
internal sealed class BenchStores : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("berth-bench-").FullName;
    private int _count;

    public string NewPath() => Path.Combine(_directory, $"bench{Interlocked.Increment(ref _count)}.db");

    public static SqliteResourceStore Open(string path, SqliteSynchronousMode mode) =>
        SqliteResourceStore.Open(new StoreOptions { Path = path, Synchronous = mode, WatchBufferSize = 8192 }, TimeProvider.System);

    public static async Task LoadPodsAsync(IResourceStore store, int count)
    {
        var tasks = new List<Task>(64);
        for (var i = 0; i < count; i++)
        {
            tasks.Add(store.CreateAsync(BenchPods.Key(i), BenchPods.Pod(i)));
            if (tasks.Count == 64)
            {
                await Task.WhenAll(tasks);
                tasks.Clear();
            }
        }
        await Task.WhenAll(tasks);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
