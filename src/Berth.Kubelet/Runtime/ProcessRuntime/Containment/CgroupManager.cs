using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Runtime.ProcessRuntime.Containment;

/// <summary>
/// One cgroup v2 per container, below <c>&lt;cgroup2 mount&gt;/&lt;CgroupName&gt;/</c>. A cgroup is the only
/// containment nothing inside can leave: a daemon that double-forks and calls setsid leaves the process group but
/// not the cgroup, and <c>cgroup.kill</c> (Linux 5.14+) SIGKILLs every member atomically, so no fork can race the
/// kill. Used when <see cref="TryCreate"/> finds a writable cgroup2 hierarchy (normally: running as root); the runtime
/// falls back to <see cref="ProcessGroupKiller"/> otherwise.
/// </summary>
/// <remarks>Thread-safe: it only touches per-container directories and reads shared files.</remarks>
internal sealed partial class CgroupManager
{
    private readonly ILogger _logger;

    private CgroupManager(string parent, ILogger logger)
    {
        Parent = parent;
        _logger = logger;
    }

    /// <summary>The directory that holds the per-container cgroups, e.g. <c>/sys/fs/cgroup/berth.slice</c>.</summary>
    public string Parent { get; }

    /// <summary>
    /// Finds the cgroup2 mount in <c>/proc/self/mounts</c> (pure v2 at /sys/fs/cgroup, hybrid at
    /// /sys/fs/cgroup/unified), creates the parent cgroup and proves it can hold a child. Returns null (and says why
    /// through <paramref name="reason"/>) when any step fails, e.g. not root or cgroup2 not mounted.
    /// </summary>
    public static CgroupManager? TryCreate(string cgroupName, ILogger logger, out string reason)
    {
        var mount = Bpf.Cgroup2Mount.Find();
        if (mount is null)
        {
            reason = "no cgroup2 mount in /proc/self/mounts";
            return null;
        }
        var parent = Path.Combine(mount, cgroupName);
        var probe = Path.Combine(parent, "probe-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            Directory.CreateDirectory(parent);
            Directory.CreateDirectory(probe);
            if (!File.Exists(Path.Combine(probe, "cgroup.procs")))
            {
                reason = $"{parent} is not a cgroup2 directory";
                return null;
            }
            reason = $"cgroup2 at {parent}";
            return new CgroupManager(parent, logger);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            reason = $"cannot create a cgroup under {mount}: {ex.Message}";
            return null;
        }
        finally
        {
            EmptyDirectory.TryRemove(probe);
        }
    }

    /// <summary>Creates the container's cgroup and applies the memory limit when the memory controller allows it.</summary>
    public string Create(ContainerId id, long? memoryLimitBytes)
    {
        var path = Path.Combine(Parent, id.Value);
        Directory.CreateDirectory(path);
        if (memoryLimitBytes is { } limit)
        {
            ApplyMemoryLimit(path, limit);
        }
        return path;
    }

    private void ApplyMemoryLimit(string path, long limit)
    {
        try
        {
            var root = Path.GetDirectoryName(Parent)!;
            if (!File.ReadAllText(Path.Combine(root, "cgroup.controllers")).Split(' ', '\n').Contains("memory"))
            {
                Log.MemoryLimitNotEnforced(_logger, Path.GetFileName(path), "no memory controller in the cgroup2 hierarchy");
                return;
            }
            File.WriteAllText(Path.Combine(root, "cgroup.subtree_control"), "+memory");
            File.WriteAllText(Path.Combine(Parent, "cgroup.subtree_control"), "+memory");
            File.WriteAllText(Path.Combine(path, "memory.max"), limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
            File.WriteAllText(Path.Combine(path, "memory.swap.max"), "0");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.MemoryLimitNotEnforced(_logger, Path.GetFileName(path), ex.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "Memory limit of container {ContainerId} is not enforced: {Why}")]
        public static partial void MemoryLimitNotEnforced(ILogger logger, string containerId, string why);
    }
}
