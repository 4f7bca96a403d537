using System.Globalization;

namespace Berth.ApiServer.Tables;

/// <summary>
/// The short age strings of <c>kubectl get</c> ("13s", "5m10s", "3h", "2d5h", "3y40d").
/// Mirrors kubernetes/kubernetes staging/src/k8s.io/apimachinery/pkg/util/duration/duration.go (HumanDuration).
/// Pure and thread-safe.
/// </summary>
public static class HumanDuration
{
    private const long SecondsPerMinute = 60;
    private const long SecondsPerHour = 3600;

    /// <summary>
    /// Formats <paramref name="d"/> with two or three significant figures. Up to one second in the future is
    /// tolerated as clock skew and printed as <c>0s</c>; further in the future is <c>&lt;invalid&gt;</c>.
    /// </summary>
    public static string Format(TimeSpan d)
    {
        // Whole seconds truncated toward zero, like Go's int(d.Seconds()).
        var seconds = d.Ticks / TimeSpan.TicksPerSecond;
        if (seconds < -1)
        {
            return "<invalid>";
        }
        if (seconds < 0)
        {
            return "0s";
        }
        if (seconds < 2 * SecondsPerMinute)
        {
            return Invariant($"{seconds}s");
        }
        var minutes = seconds / SecondsPerMinute;
        if (minutes < 10)
        {
            var s = seconds % SecondsPerMinute;
            return s == 0 ? Invariant($"{minutes}m") : Invariant($"{minutes}m{s}s");
        }
        if (minutes < 3 * 60)
        {
            return Invariant($"{minutes}m");
        }
        return FormatHours(seconds / SecondsPerHour, minutes);
    }

    private static string FormatHours(long hours, long minutes)
    {
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? Invariant($"{hours}h") : Invariant($"{hours}h{m}m");
        }
        if (hours < 48)
        {
            return Invariant($"{hours}h");
        }
        var days = hours / 24;
        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? Invariant($"{days}d") : Invariant($"{days}d{h}h");
        }
        if (hours < 24 * 365 * 2)
        {
            return Invariant($"{days}d");
        }
        var years = days / 365;
        if (hours < 24 * 365 * 8)
        {
            var dy = days % 365;
            return dy == 0 ? Invariant($"{years}y") : Invariant($"{years}y{dy}d");
        }
        return Invariant($"{years}y");
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
