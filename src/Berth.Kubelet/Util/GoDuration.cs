using System.Globalization;
using System.Text;

namespace Berth.Kubelet.Util;

/// <summary>
/// Formats a duration the way Go's <c>time.Duration.String</c> does ("10s", "2m40s", "5m0s", "1h0m0s", "500ms"),
/// because upstream messages such as "back-off 5m0s restarting failed container" embed it. Mirrors Go src/time/time.go.
/// </summary>
public static class GoDuration
{
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var sign = duration < TimeSpan.Zero ? "-" : "";
        duration = duration.Duration();
        if (duration < TimeSpan.FromSeconds(1))
        {
            return sign + SubSecond(duration);
        }

        var builder = new StringBuilder(sign);
        var hours = (long)duration.TotalHours;
        if (hours > 0)
        {
            builder.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || duration.Minutes > 0)
        {
            builder.Append(duration.Minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        var seconds = duration.Seconds + (duration.Ticks % TimeSpan.TicksPerSecond) / (decimal)TimeSpan.TicksPerSecond;
        builder.Append(seconds.ToString("0.#########", CultureInfo.InvariantCulture)).Append('s');
        return builder.ToString();
    }

    private static string SubSecond(TimeSpan duration)
    {
        var ticks = duration.Ticks;
        if (ticks >= TimeSpan.TicksPerMillisecond)
        {
            return (ticks / (decimal)TimeSpan.TicksPerMillisecond).ToString("0.######", CultureInfo.InvariantCulture) + "ms";
        }

        return (ticks / 10m).ToString("0.###", CultureInfo.InvariantCulture) + "µs";
    }
}
