namespace Berth.Bench.Api;

/// <summary>The 1/5/15-minute load averages from <c>/proc/loadavg</c>, as printed by <c>uptime</c>.</summary>
internal static class LoadAverage
{
    public static string Read() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
