namespace Berth.Testing.Processes;

/// <summary>
/// The per-container cgroups the process runtime creates (<c>&lt;cgroup2 mount&gt;/&lt;slice&gt;/&lt;container id&gt;</c>,
/// the slice being <c>berth.slice</c> for a server and <c>berth-&lt;node&gt;.slice</c> for an agent). Writing 1 to
/// <c>cgroup.kill</c> SIGKILLs every member at once, forks included. Best effort: without a writable cgroup2
/// hierarchy (not root) nothing happens and the caller's per-PID kills do the work.
/// </summary>
internal static class CgroupKill
{
    public static void Kill(IEnumerable<string> containerIds)
    {
        foreach (var cgroup in Cgroups(containerIds))
        {
            try
            {
                File.WriteAllText(Path.Combine(cgroup, "cgroup.kill"), "1");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or a kernel without cgroup.kill (before 5.14).
            }
        }
    }

    /// <summary>Removes the containers' cgroups once empty (rmdir of a cgroup with members fails and is ignored).</summary>
    public static void RemoveEmpty(IEnumerable<string> containerIds)
    {
        foreach (var cgroup in Cgroups(containerIds))
        {
            try
            {
                Directory.Delete(cgroup);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Still populated or already removed.
            }
        }
    }

    private static IEnumerable<string> Cgroups(IEnumerable<string> containerIds)
    {
        if (Berth.Bpf.Cgroup2Mount.Find() is not { } mount)
        {
            yield break;
        }
        var slices = SafeDirectories(mount).Where(d => Path.GetFileName(d).StartsWith("berth", StringComparison.Ordinal)).ToList();
        foreach (var id in containerIds.Distinct(StringComparer.Ordinal))
        {
            foreach (var slice in slices)
            {
                var cgroup = Path.Combine(slice, id);
                if (File.Exists(Path.Combine(cgroup, "cgroup.procs")))
                {
                    yield return cgroup;
                }
            }
        }
    }

    private static IEnumerable<string> SafeDirectories(string path)
    {
        try
        {
            return Directory.GetDirectories(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
