using System.Globalization;
using Berth.Kubelet.Runtime;

namespace Berth.Kubelet.Stats;

/// <summary>
/// <see cref="IStatsSource"/> over procfs and cgroup v2. CPU: <c>usage_usec</c> of the container's cgroup
/// (<c>cpu.stat</c> exists without the cpu controller), else the main process's own and reaped children's times from
/// <c>/proc/PID/stat</c>. Memory: <c>memory.current</c> minus <c>inactive_file</c> when the memory controller is
/// enabled (the working set, as cAdvisor computes it), else the sum of <c>VmRSS</c> over the cgroup's processes
/// (shared pages count once per process). Node: busy time from <c>/proc/stat</c>, MemTotal − MemAvailable.
/// </summary>
/// <remarks>
/// Mirrors the working-set and usage figures of google/cadvisor container/libcontainer (handler.go, setMemoryStats)
/// as the kubelet's summary provider reports them. Roots are parameters so tests can give a fixture tree.
/// </remarks>
public sealed class ProcfsStatsSource(string procRoot = "/proc", string? cgroup2Mount = null) : IStatsSource
{
    /// <summary>USER_HZ: the unit of /proc times on every Linux ABI .NET runs on.</summary>
    private const long NanosPerTick = 10_000_000;

    public ContainerReading? ReadContainer(ContainerStatus container)
    {
        if (container.Pid is not > 0 || container.State != ContainerState.Running)
        {
            return null;
        }
        var pid = container.Pid.Value;
        var cgroup = CgroupOf(pid);
        var cpu = cgroup is null ? null : CgroupFiles.UsageNanos(cgroup);
        cpu ??= ProcessCpuNanos(pid);
        if (cpu is null)
        {
            return null;
        }
        var memory = (cgroup is null ? null : CgroupFiles.WorkingSet(cgroup)) ?? ResidentBytes(cgroup is null ? [pid] : CgroupFiles.Pids(cgroup));
        return new ContainerReading(cpu.Value, memory);
    }

    public NodeReading? ReadNode()
    {
        var stat = Text(Path.Combine(procRoot, "stat"));
        var meminfo = Text(Path.Combine(procRoot, "meminfo"));
        if (stat is null || meminfo is null || ProcFormats.BusyTicks(stat) is not { } ticks)
        {
            return null;
        }
        var total = ProcFormats.KibField(meminfo, "MemTotal:");
        var available = ProcFormats.KibField(meminfo, "MemAvailable:");
        return new NodeReading(ticks * NanosPerTick, Math.Max(0, (total ?? 0) - (available ?? 0)) * 1024);
    }

    // The cgroup v2 directory of the process, or null when it has none of its own (the root) or cgroup v2 is absent.
    private string? CgroupOf(int pid)
    {
        if (cgroup2Mount is null || Text(Path.Combine(procRoot, Id(pid), "cgroup")) is not { } lines)
        {
            return null;
        }
        foreach (var line in lines.Split('\n'))
        {
            if (line.StartsWith("0::/", StringComparison.Ordinal) && line.Length > 4)
            {
                return Path.Combine(cgroup2Mount, line[4..].TrimEnd());
            }
        }
        return null;
    }

    private long? ProcessCpuNanos(int pid) =>
        Text(Path.Combine(procRoot, Id(pid), "stat")) is { } stat && ProcFormats.ProcessTicks(stat) is { } ticks
            ? ticks * NanosPerTick
            : null;

    private long ResidentBytes(IEnumerable<int> pids)
    {
        long bytes = 0;
        foreach (var pid in pids)
        {
            if (Text(Path.Combine(procRoot, Id(pid), "status")) is { } status)
            {
                bytes += (ProcFormats.KibField(status, "VmRSS:") ?? 0) * 1024;
            }
        }
        return bytes;
    }

    private static string Id(int pid) => pid.ToString(CultureInfo.InvariantCulture);

    internal static string? Text(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
