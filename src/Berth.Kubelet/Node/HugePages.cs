using System.Globalization;

namespace Berth.Kubelet.Node;

/// <summary>
/// The machine's huge page pools: for each page size the kernel offers (a <c>hugepages-&lt;N&gt;kB</c> directory under
/// <c>/sys/kernel/mm/hugepages</c>), its page size and the bytes reserved in it (<c>nr_hugepages</c> × page size).
/// The node reports each as a <c>hugepages-&lt;size&gt;</c> capacity and takes them out of allocatable memory.
/// </summary>
/// <remarks>Mirrors what cAdvisor's machine info (HugePages) and kubernetes/kubernetes pkg/kubelet/cadvisor/util.go (CapacityFromMachineInfo) report.</remarks>
public static class HugePages
{
    /// <summary>What a machine without readable pools is assumed to have: 2Mi and 1Gi pages, none reserved.</summary>
    public static IReadOnlyList<HugePagePool> Default { get; } = [new(2L << 20, 0), new(1L << 30, 0)];

    /// <summary>The pools under <paramref name="directory"/>; <see cref="Default"/> when it cannot be read.</summary>
    public static IReadOnlyList<HugePagePool> Read(string directory = "/sys/kernel/mm/hugepages")
    {
        try
        {
            var pools = new List<HugePagePool>();
            foreach (var pool in Directory.EnumerateDirectories(directory, "hugepages-*kB"))
            {
                var name = Path.GetFileName(pool);
                if (long.TryParse(name["hugepages-".Length..^"kB".Length], NumberStyles.None, CultureInfo.InvariantCulture, out var kib)
                    && long.TryParse(File.ReadAllText(Path.Combine(pool, "nr_hugepages")).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pages))
                {
                    pools.Add(new HugePagePool(kib * 1024, pages * kib * 1024));
                }
            }
            return pools.Count > 0 ? pools : Default;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Default;
        }
    }
}

/// <summary>One huge page size and the bytes reserved in pages of that size.</summary>
public sealed record HugePagePool(long PageSizeBytes, long TotalBytes);
