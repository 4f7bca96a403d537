using System.Globalization;

namespace Berth.Bench.Api;

/// <summary>Resident memory of a process from <c>/proc/&lt;pid&gt;/status</c> (Linux only), in MiB.</summary>
internal readonly record struct ProcessMemory(double RssMb, double PeakRssMb)
{
    /// <summary>Reads VmRSS (current) and VmHWM (peak) of <paramref name="pid"/>; throws if the process is gone.</summary>
    public static ProcessMemory Read(int pid)
    {
        double rss = double.NaN, hwm = double.NaN;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line) / 1024;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kilobytes(line) / 1024;
            }
        }
        return new ProcessMemory(rss, hwm);
    }

    private static double Kilobytes(string line) =>
        double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
