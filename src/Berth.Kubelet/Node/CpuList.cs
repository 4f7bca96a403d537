using System.Globalization;

namespace Berth.Kubelet.Node;

/// <summary>Kernel CPU lists (<c>0-3,8,10-11</c>) and the machine's online CPU count. Pure apart from the file read.</summary>
/// <remarks>Counts as cAdvisor's machine info (NumCores, from sysfs) does.</remarks>
public static class CpuList
{
    /// <summary>
    /// The number of online logical CPUs (<c>/sys/devices/system/cpu/online</c>), as cAdvisor counts the machine's
    /// cores: neither CPU affinity nor a cgroup CPU quota lowers it, unlike <see cref="Environment.ProcessorCount"/>,
    /// which is the fallback when the file cannot be read.
    /// </summary>
    public static int OnlineCount(string path = "/sys/devices/system/cpu/online")
    {
        try
        {
            return Count(File.ReadAllText(path)) is > 0 and var count ? count : Environment.ProcessorCount;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Environment.ProcessorCount;
        }
    }

    /// <summary>The CPUs in a kernel CPU list (<c>0-3,8,10-11</c>); 0 when it is malformed.</summary>
    public static int Count(string list)
    {
        var count = 0;
        foreach (var part in list.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = part.Split('-');
            if (!int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                || !int.TryParse(bounds[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
                || bounds.Length > 2 || last < first)
            {
                return 0;
            }
            count += last - first + 1;
        }
        return count;
    }
}
