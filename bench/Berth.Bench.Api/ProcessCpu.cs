using System.Globalization;

namespace Berth.Bench.Api;

/// <summary>
/// CPU time (user + system) a process has used, from <c>/proc/&lt;pid&gt;/stat</c> at clock-tick resolution (10 ms).
/// On a shared, overloaded machine this is a steadier cost figure than wall-clock latency: it counts the server's own
/// work, not the time it waited for a core.
/// </summary>
internal static class ProcessCpu
{
    public static TimeSpan Read(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after "(comm)": state is field 3, utime field 14, stime field 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((double)ticks / Libc.ClockTicksPerSecond);
    }
}
