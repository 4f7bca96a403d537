using System.Globalization;

namespace Berth.Kubelet.Interop;

/// <summary>
/// Reads <c>/proc/&lt;pid&gt;/stat</c>. The start time (field 22, clock ticks since boot) never changes for a live
/// process, so (pid, start time) identifies a process across agent restarts and guards against PID reuse.
/// </summary>
internal static class ProcStat
{
    /// <summary>Field 22 of /proc/&lt;pid&gt;/stat, or null when the process does not exist (or is unreadable).</summary>
    public static ulong? StartTime(int pid) => Read(pid)?.StartTime;

    /// <summary>True when <paramref name="pid"/> runs (not a zombie) and started at <paramref name="startTime"/>.</summary>
    public static bool IsSameLiveProcess(int pid, ulong startTime) =>
        pid > 0 && Read(pid) is { } stat && stat.StartTime == startTime && stat.State is not ('Z' or 'X');

    /// <summary>State letter (field 3) and start time (field 22); null when the process is gone or unreadable.</summary>
    public static (char State, ulong StartTime)? Read(int pid)
    {
        try
        {
            return Parse(File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat"));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Parses a stat line. The command name (field 2) is in parentheses and may itself contain spaces and
    /// parentheses, so fields are counted after the last ')': field 3 is the first of them, field 22 the 20th.
    /// </summary>
    public static (char State, ulong StartTime)? Parse(string statLine)
    {
        var close = statLine.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }
        var fields = statLine[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 19 && fields[0].Length == 1
            && ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            ? (fields[0][0], ticks)
            : null;
    }
}
