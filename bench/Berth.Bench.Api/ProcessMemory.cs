using System.Globalization;

namespace Berth.Bench.Api;

/// <summary>
/// Resident memory of a process from <c>/proc/&lt;pid&gt;/status</c> (Linux only), in MiB: VmRSS (current), VmHWM (peak),
/// and its parts: anonymous (heaps, GC, stacks), file-backed (mapped assemblies, ReadyToRun code, native libraries) and
/// shared memory (the runtime's double-mapped executable memory, i.e. JIT-compiled code and stubs).
/// </summary>
internal readonly record struct ProcessMemory(double RssMb, double PeakRssMb, double AnonRssMb, double FileRssMb = double.NaN, double ShmemRssMb = double.NaN)
{
    /// <summary>Reads the figures of <paramref name="pid"/>; throws if the process is gone.</summary>
    public static ProcessMemory Read(int pid)
    {
        var values = new Dictionary<string, double>();
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && line.EndsWith(" kB", StringComparison.Ordinal))
            {
                values[line[..colon]] = double.Parse(line[(colon + 1)..^3].Trim(), CultureInfo.InvariantCulture) / 1024;
            }
        }
        return new ProcessMemory(Get(values, "VmRSS"), Get(values, "VmHWM"), Get(values, "RssAnon"), Get(values, "RssFile"), Get(values, "RssShmem"));
    }

    private static double Get(Dictionary<string, double> values, string name) => values.GetValueOrDefault(name, double.NaN);
}
