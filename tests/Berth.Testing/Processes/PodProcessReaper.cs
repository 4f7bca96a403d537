using System.ComponentModel;
using System.Diagnostics;

namespace Berth.Testing.Processes;

/// <summary>
/// Finds and kills the pod processes a test's node agent left behind. Shims run in sessions of their own so that
/// containers outlive their agent (the containerd-shim model); a test fixture whose server or agent was SIGKILLed,
/// or whose graceful node shutdown did not finish, would otherwise leave them running (holding loopback addresses and
/// ports) after its data directory is gone. Fixtures call <see cref="ReapAsync"/> before deleting a data directory.
/// </summary>
/// <remarks>
/// A process belongs to data dir D when it is a shim whose container directory (its first positional argument) lies
/// under D, or when its <c>BERTH_CONTAINER_ID</c> marker names a container recorded under D
/// (<c>[kubelet/]containers/pods/&lt;uid&gt;/&lt;id&gt;</c>, or <c>…/&lt;uid&gt;/containers/&lt;id&gt;</c> of earlier
/// agents) or served by such a shim. Containers are
/// killed through their cgroup (<c>cgroup.kill</c> under any slice of the cgroup2 mount) when one exists, and by
/// SIGKILL per PID otherwise. Stateless and thread-safe; Linux only.
/// </remarks>
public static class PodProcessReaper
{
    private static readonly string[] StateRoots = ["containers", Path.Combine("kubelet", "containers")];

    /// <summary>Live processes of the pods recorded under <paramref name="dataDir"/>; empty when none (or no such directory).</summary>
    public static IReadOnlyList<PodProcess> Find(string dataDir)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDir)) + "/";
        var snapshot = ProcTable.Snapshot().ToList();
        var found = new List<PodProcess>();
        var ids = RecordedContainerIds(root);
        foreach (var entry in snapshot)
        {
            if (ShimContainerDirectory(entry.Argv) is { } dir && dir.StartsWith(root, StringComparison.Ordinal))
            {
                var id = Path.GetFileName(Path.TrimEndingDirectorySeparator(dir));
                ids.Add(id);
                found.Add(new PodProcess(entry.Pid, id, IsShim: true, "berth-shim " + dir));
            }
        }
        foreach (var entry in snapshot)
        {
            if (entry.ContainerId is { } id && ids.Contains(id) && ShimContainerDirectory(entry.Argv) is null)
            {
                found.Add(new PodProcess(entry.Pid, id, IsShim: false, string.Join(' ', entry.Argv)));
            }
        }
        return found;
    }

    /// <summary>
    /// Kills every process <see cref="Find"/> reports for <paramref name="dataDir"/> (cgroups first, then each PID, again
    /// until a scan finds none, so forks during the kill are caught) and removes the emptied cgroups. Waits at most
    /// <paramref name="timeout"/> (default 10 s) and then throws <see cref="TimeoutException"/> naming the survivors.
    /// Returns what the first scan found: empty when nothing was left behind.
    /// </summary>
    public static async Task<IReadOnlyList<PodProcess>> ReapAsync(string dataDir, TimeSpan? timeout = null)
    {
        var first = Find(dataDir);
        if (first.Count == 0)
        {
            return first;
        }
        var containers = new HashSet<string>(first.Select(p => p.ContainerId), StringComparer.Ordinal);
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(10));
        var current = first;
        while (current.Count > 0)
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"pod processes of {dataDir} survived SIGKILL:\n{string.Join('\n', current)}");
            }
            containers.UnionWith(current.Select(p => p.ContainerId));
            CgroupKill.Kill(current.Select(p => p.ContainerId));
            foreach (var process in current)
            {
                KillPid(process.Pid);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System).ConfigureAwait(false);
            current = Find(dataDir);
        }
        CgroupKill.RemoveEmpty(containers);
        return first;
    }

    /// <summary>
    /// The shim's container directory (its first positional argument) when <paramref name="argv"/> is a shim's: the
    /// shell script (<c>/bin/sh -c SCRIPT berth-shim DIR …</c>, see ContainerShim.BuildArgv) or a native
    /// <c>…/berth-shim DIR …</c> executable.
    /// </summary>
    internal static string? ShimContainerDirectory(IReadOnlyList<string> argv) =>
        argv.Count > 4 && argv[1] == "-c" && argv[3] == "berth-shim" ? argv[4]
        : argv.Count > 1 && Path.GetFileName(argv[0]) == "berth-shim" ? argv[1]
        : null;

    private static HashSet<string> RecordedContainerIds(string root)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var state in StateRoots.Select(s => Path.Combine(root, s, "pods")).Where(Directory.Exists))
        {
            try
            {
                foreach (var pod in Directory.EnumerateDirectories(state))
                {
                    // <uid>/<id> (current layout) and <uid>/containers/<id> (agents before session 6).
                    ids.UnionWith(Directory.EnumerateDirectories(pod).Select(Path.GetFileName).OfType<string>().Where(n => n != "containers"));
                    var containers = Path.Combine(pod, "containers");
                    if (Directory.Exists(containers))
                    {
                        ids.UnionWith(Directory.EnumerateDirectories(containers).Select(Path.GetFileName).OfType<string>());
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The directory is being deleted: the shims' arguments still name their containers.
            }
        }
        return ids;
    }

    private static void KillPid(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or Win32Exception)
        {
            // Already gone.
        }
    }
}
