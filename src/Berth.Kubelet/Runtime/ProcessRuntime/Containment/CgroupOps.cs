using System.Globalization;
using Berth.Kubelet.Interop;

namespace Berth.Kubelet.Runtime.ProcessRuntime.Containment;

/// <summary>Operations on one existing container cgroup directory. Stateless and thread-safe.</summary>
internal static class CgroupOps
{
    /// <summary>
    /// SIGKILLs every process in the cgroup. Uses <c>cgroup.kill</c> (atomic, Linux 5.14+); on older kernels it
    /// kills the members listed in <c>cgroup.procs</c> until the list stays empty.
    /// </summary>
    public static void KillAll(string cgroup)
    {
        var killFile = Path.Combine(cgroup, "cgroup.kill");
        if (File.Exists(killFile))
        {
            try
            {
                File.WriteAllText(killFile, "1");
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                // Removed since the check (its last process exited and the cgroup went): nothing left to kill.
            }
            return;
        }
        for (var round = 0; round < 50; round++)
        {
            var pids = Members(cgroup);
            if (pids.Count == 0)
            {
                return;
            }
            foreach (var pid in pids)
            {
                Libc.kill(pid, Signals.SIGKILL);
            }
        }
    }

    /// <summary>PIDs in <c>cgroup.procs</c>; empty when the cgroup is gone.</summary>
    public static IReadOnlyList<int> Members(string cgroup)
    {
        try
        {
            return File.ReadAllLines(Path.Combine(cgroup, "cgroup.procs"))
                .Select(l => int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0)
                .Where(p => p > 0)
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>True when the kernel's OOM killer killed a process of this cgroup (<c>memory.events</c> oom_kill &gt; 0).</summary>
    public static bool WasOomKilled(string cgroup)
    {
        try
        {
            var events = Path.Combine(cgroup, "memory.events");
            return File.Exists(events) && ParseOomKills(File.ReadAllText(events)) > 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The <c>oom_kill</c> counter of a <c>memory.events</c> file.</summary>
    public static long ParseOomKills(string memoryEvents)
    {
        foreach (var line in memoryEvents.Split('\n'))
        {
            var parts = line.Split(' ');
            if (parts.Length == 2 && parts[0] == "oom_kill" && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }
        }
        return 0;
    }
}
