namespace Berth.Bench.Proxy;

/// <summary>Resident set size from /proc (KiB); 0 where /proc is missing.</summary>
internal static class ProcessMemory
{
    public static long RssKiB(int? pid = null)
    {
        var path = $"/proc/{(pid is null ? "self" : pid.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))}/status";
        if (!File.Exists(path))
        {
            return 0;
        }
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
