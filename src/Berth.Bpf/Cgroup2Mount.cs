namespace Berth.Bpf;

/// <summary>Where this machine mounts the cgroup v2 hierarchy: pure v2 at /sys/fs/cgroup, hybrid at /sys/fs/cgroup/unified.</summary>
public static class Cgroup2Mount
{
    /// <summary>
    /// The first read-write <c>cgroup2</c> mount in /proc/self/mounts, or null (none, or no procfs). Read-write, because
    /// everything Berth does there (cgroups per container, programs on them) needs a hierarchy it may change.
    /// </summary>
    public static string? Find()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/mounts"))
            {
                var fields = line.Split(' ');
                if (fields.Length > 3 && fields[2] == "cgroup2" && fields[3].Split(',').Contains("rw"))
                {
                    return fields[1];
                }
            }
        }
        catch (IOException)
        {
            // No procfs: no cgroup2 either, as far as we can tell.
        }
        return null;
    }
}
