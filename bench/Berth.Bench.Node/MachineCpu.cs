namespace Berth.Bench.Node;

/// <summary>
/// CPU time used by the whole machine so far (every process and the kernel, all cores: user, nice, system, irq and
/// softirq of the first line of <c>/proc/stat</c>, in clock ticks of 10 ms), so that a burst's CPU can be split into
/// the server's, the bench client's and the rest (the pods' shim and app processes, and the kernel's work for them).
/// Only meaningful on a quiet machine: another process's CPU lands in the rest.
/// </summary>
internal static class MachineCpu
{
    private const double TickMs = 10;

    /// <summary>The machine's busy CPU time since boot, or <see cref="TimeSpan.Zero"/> where /proc/stat is unreadable.</summary>
    public static TimeSpan Read()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // cpu user nice system idle iowait irq softirq steal …
            long busy = 0;
            foreach (var i in new[] { 1, 2, 3, 6, 7 })
            {
                busy += long.Parse(fields[i], System.Globalization.CultureInfo.InvariantCulture);
            }
            return TimeSpan.FromMilliseconds(busy * TickMs);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }
}
