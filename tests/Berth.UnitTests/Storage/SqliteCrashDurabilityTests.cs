using System.Diagnostics;
using Berth.Storage;
using Berth.Storage.Sqlite;

namespace Berth.UnitTests.Storage;

/// <summary>
/// Every acknowledged write survives a SIGKILL of the writing process. The child (tests/testassets/StoreCrashWriter)
/// prints each acknowledged revision; the test kills it mid-stream, reopens the file and checks every printed write.
/// </summary>
[Trait("Category", "Process")]
public sealed class SqliteCrashDurabilityTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("berth-crash-").FullName;

    [Theory]
    [InlineData(1, "full")]
    [InlineData(8, "full")]
    [InlineData(8, "normal")]
    public async Task Kill_MidStream_EveryAcknowledgedWriteSurvives(int writers, string mode)
    {
        var path = Path.Combine(_directory, $"crash-{writers}-{mode}.db");
        var acked = await RunAndKillAsync(path, writers, killAfterAcks: 300);

        await using var store = SqliteResourceStore.Open(new StoreOptions { Path = path }, TimeProvider.System);

        Assert.True(acked.Count >= 300, $"only {acked.Count} acknowledgements before the kill");
        foreach (var (key, revision) in acked)
        {
            var stored = await store.GetAsync(key);
            Assert.True(stored is not null, $"acknowledged write {key}@{revision} lost");
            Assert.Equal(revision, stored.Revision);
        }
        Assert.True(store.CurrentRevision >= acked.Values.Max());
        var next = await store.CreateAsync("/pods/crash/after", StoreTestObjects.Pod("after", "crash"));
        Assert.True(next.Revision > acked.Values.Max());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<Dictionary<string, long>> RunAndKillAsync(string path, int writers, int killAfterAcks)
    {
        using var child = Process.Start(StartInfo(path, writers, mode: path.Contains("normal") ? "normal" : "full"))!;
        var acked = new Dictionary<string, long>();
        try
        {
            string? line;
            while ((line = await child.StandardOutput.ReadLineAsync().DefaultTimeout(TimeSpan.FromSeconds(60))) is not null)
            {
                if (Record(acked, line) && acked.Count == killAfterAcks)
                {
                    child.Kill();
                }
            }
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }
        await child.WaitForExitAsync().DefaultTimeout();
        Assert.NotEqual(0, child.ExitCode);
        return acked;
    }

    private static bool Record(Dictionary<string, long> acked, string line)
    {
        var parts = line.Split(' ');
        if (parts.Length != 3 || parts[0] != "ack")
        {
            return false;
        }
        acked[parts[1]] = long.Parse(parts[2]);
        return true;
    }

    private static ProcessStartInfo StartInfo(string path, int writers, string mode)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
        var info = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "exec", ChildAssembly(), path, writers.ToString(), "1000000", mode })
        {
            info.ArgumentList.Add(arg);
        }
        return info;
    }

    /// <summary>tests/testassets/StoreCrashWriter/bin/{Configuration}/{tfm}/StoreCrashWriter.dll, next to this test's output.</summary>
    private static string ChildAssembly()
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = baseDir.Name;
        var configuration = baseDir.Parent!.Name;
        var testsDir = baseDir.Parent.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(testsDir, "testassets", "StoreCrashWriter", "bin", configuration, tfm, "StoreCrashWriter.dll");
        Assert.True(File.Exists(dll), $"crash writer not built at {dll}");
        return dll;
    }
}
