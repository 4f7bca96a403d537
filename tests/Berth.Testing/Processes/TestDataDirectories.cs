using System.Collections.Concurrent;

namespace Berth.Testing.Processes;

/// <summary>
/// The data directories of the nodes (servers and agents) this test process started, so that none of their pods
/// outlives the test run. A fixture registers a directory when it starts a node on it and releases it when the node
/// stopped: release kills what is left of the node's pods (<see cref="PodProcessReaper"/>) and deletes the directory
/// when a fixture created it (<see cref="CreateOwned"/>). A directory that is never released (a test crashed its
/// node for a restart that did not happen) is reaped by <see cref="ReapAllAsync"/> at the end of the run.
/// Thread-safe: parallel test classes share it.
/// </summary>
public static class TestDataDirectories
{
    private static readonly ConcurrentDictionary<string, byte> Registered = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, byte> Owned = new(StringComparer.Ordinal);
    private static readonly ConcurrentQueue<PodProcess> ReapedProcesses = new();
    private static readonly ConcurrentQueue<(string DataDir, PodProcess Process)> LeakedProcesses = new();

    /// <summary>Everything a release or <see cref="ReapAllAsync"/> had to kill so far, in order.</summary>
    public static IReadOnlyList<PodProcess> Reaped => [.. ReapedProcesses];

    /// <summary>
    /// What had to be killed after a node stopped gracefully (<c>ReleaseAsync(dir, afterGracefulStop: true)</c>): a
    /// graceful node shutdown must stop every pod, so each entry is a product bug, not a test artefact.
    /// </summary>
    public static IReadOnlyList<(string DataDir, PodProcess Process)> Leaked => [.. LeakedProcesses];

    /// <summary>Creates a fresh temporary directory (<paramref name="prefix"/> + random) that its release deletes.</summary>
    public static string CreateOwned(string prefix)
    {
        var path = Directory.CreateTempSubdirectory(prefix).FullName;
        Owned[path] = 0;
        return path;
    }

    /// <summary>A node runs (or is about to run) on <paramref name="dataDir"/>; idempotent.</summary>
    public static void Register(string dataDir) => Registered[Path.GetFullPath(dataDir)] = 0;

    /// <summary>
    /// Call once the node on <paramref name="dataDir"/> stopped for good: kills its pods' processes (bounded; throws
    /// <see cref="TimeoutException"/> if one survives SIGKILL), then deletes the directory if it is owned. Returns
    /// the processes that were still alive. With <paramref name="afterGracefulStop"/> (the node exited by itself
    /// after SIGTERM) shims get up to 3 s to record their containers' exits first, and whatever is left then counts
    /// as <see cref="Leaked"/>.
    /// </summary>
    public static async Task<IReadOnlyList<PodProcess>> ReleaseAsync(string dataDir, bool afterGracefulStop = false)
    {
        var path = Path.GetFullPath(dataDir);
        if (afterGracefulStop)
        {
            await WaitForExitsAsync(path, TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        }
        var reaped = await PodProcessReaper.ReapAsync(path).ConfigureAwait(false);
        foreach (var process in reaped)
        {
            ReapedProcesses.Enqueue(process);
            if (afterGracefulStop)
            {
                LeakedProcesses.Enqueue((path, process));
            }
        }
        Registered.TryRemove(path, out _);
        if (Owned.TryRemove(path, out _))
        {
            TryDelete(path);
        }
        return reaped;
    }

    /// <summary>Reaps every directory still registered (nodes crashed and never restarted); returns what it killed.</summary>
    public static async Task<IReadOnlyList<PodProcess>> ReapAllAsync()
    {
        var killed = new List<PodProcess>();
        foreach (var path in Registered.Keys)
        {
            killed.AddRange(await ReleaseAsync(path).ConfigureAwait(false));
        }
        return killed;
    }

    private static async Task WaitForExitsAsync(string path, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (PodProcessReaper.Find(path).Count > 0 && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System).ConfigureAwait(false);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temporary directory holds no process or port.
        }
    }
}
