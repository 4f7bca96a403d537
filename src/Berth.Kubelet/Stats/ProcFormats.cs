using System.Globalization;

namespace Berth.Kubelet.Stats;

/// <summary>Parsers for the procfs files the resource analyzer reads (proc(5)). Pure; null on a malformed file.</summary>
internal static class ProcFormats
{
    /// <summary>
    /// utime + stime + cutime + cstime (fields 14–17) of a <c>/proc/PID/stat</c> line, in clock ticks. Fields are
    /// counted after the last ')' because the command name may hold spaces and parentheses.
    /// </summary>
    public static long? ProcessTicks(string statLine)
    {
        var close = statLine.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }
        var fields = statLine[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 14 ? Sum(fields.AsSpan(11, 4)) : null;
    }

    /// <summary>Busy ticks of the aggregate <c>cpu</c> line of <c>/proc/stat</c>: user, nice, system, irq, softirq, steal.</summary>
    public static long? BusyTicks(string procStat)
    {
        var line = procStat.Split('\n')[0];
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 9 || fields[0] != "cpu")
        {
            return null;
        }
        return Sum(fields.AsSpan(1, 3)) + Sum(fields.AsSpan(6, 3));
    }

    /// <summary>The kB value of a <c>Key: N kB</c> line (/proc/meminfo, /proc/PID/status).</summary>
    public static long? KibField(string text, string key)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                var value = line[key.Length..].Trim();
                var space = value.IndexOf(' ');
                return long.TryParse(space < 0 ? value : value[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var kib)
                    ? kib
                    : null;
            }
        }
        return null;
    }

    private static long? Sum(ReadOnlySpan<string> fields)
    {
        long sum = 0;
        foreach (var field in fields)
        {
            if (!long.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }
            sum += value;
        }
        return sum;
    }
}
