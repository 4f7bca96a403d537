using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Server.Cli;

/// <summary>
/// Parses durations the way Go's <c>time.ParseDuration</c> spells them (<c>30s</c>, <c>5m</c>, <c>1h30m</c>,
/// <c>500ms</c>, <c>0</c>), because that is what Kubernetes flags accept. Negative values are refused. Pure.
/// </summary>
internal static partial class GoDuration
{
    [GeneratedRegex(@"\G(?<n>\d+(\.\d+)?|\.\d+)(?<u>ns|us|µs|ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex Component();

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        if (text == "0")
        {
            return true;
        }
        var position = 0;
        double ticks = 0;
        foreach (Match match in Component().Matches(text))
        {
            if (match.Index != position)
            {
                return false;
            }
            ticks += double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture) * TicksPer(match.Groups["u"].Value);
            position += match.Length;
        }
        if (position == 0 || position != text.Length || ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }
        value = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    /// <summary>Formats like Go for whole seconds and larger (<c>1h30m0s</c>), used in help text and logs.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }
        var hours = (long)value.TotalHours;
        var text = hours > 0 ? $"{hours}h{value.Minutes}m" : value.Minutes > 0 ? $"{value.Minutes}m" : "";
        var seconds = value.Seconds + (value.Ticks % TimeSpan.TicksPerSecond) / (double)TimeSpan.TicksPerSecond;
        return text + seconds.ToString(CultureInfo.InvariantCulture) + "s";
    }

    private static double TicksPer(string unit) => unit switch
    {
        "ns" => 0.01,
        "us" or "µs" => 10,
        "ms" => TimeSpan.TicksPerMillisecond,
        "s" => TimeSpan.TicksPerSecond,
        "m" => TimeSpan.TicksPerMinute,
        _ => TimeSpan.TicksPerHour,
    };
}
