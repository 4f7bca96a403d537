using System.Globalization;

namespace Berth.Kubelet.Stats;

/// <summary>Reads the cgroup v2 interface files the resource analyzer needs. Null when a file is absent or unreadable.</summary>
internal static class CgroupFiles
{
    /// <summary><c>usage_usec</c> of <c>cpu.stat</c>, in nanoseconds.</summary>
    public static long? UsageNanos(string cgroup) =>
        ProcfsStatsSource.Text(Path.Combine(cgroup, "cpu.stat")) is { } stat && Field(stat, "usage_usec") is { } usec
            ? usec * 1000
            : null;

    /// <summary><c>memory.current</c> minus <c>inactive_file</c> (never below 0); null without the memory controller.</summary>
    public static long? WorkingSet(string cgroup)
    {
        if (ProcfsStatsSource.Text(Path.Combine(cgroup, "memory.current")) is not { } current
            || !long.TryParse(current.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var usage))
        {
            return null;
        }
        var inactive = ProcfsStatsSource.Text(Path.Combine(cgroup, "memory.stat")) is { } stat ? Field(stat, "inactive_file") ?? 0 : 0;
        return Math.Max(0, usage - inactive);
    }

    /// <summary>The PIDs in <c>cgroup.procs</c>.</summary>
    public static IEnumerable<int> Pids(string cgroup) =>
        (ProcfsStatsSource.Text(Path.Combine(cgroup, "cgroup.procs")) ?? "")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0);

    // "key value" lines (cpu.stat, memory.stat).
    private static long? Field(string text, string key)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.Length > key.Length && line.StartsWith(key, StringComparison.Ordinal) && line[key.Length] == ' '
                && long.TryParse(line.AsSpan(key.Length + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }
        return null;
    }
}
