namespace Berth.Proxy.Kernel;

/// <summary>Where the cgroup2 hierarchy is mounted (first <c>cgroup2</c> line of /proc/self/mounts), or null.</summary>
internal static class Cgroup2Root
{
    public static string? Find()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/mounts"))
            {
                var fields = line.Split(' ');
                if (fields.Length > 2 && fields[2] == "cgroup2")
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
