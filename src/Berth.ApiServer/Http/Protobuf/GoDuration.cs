using System.Globalization;
using System.Text;

namespace Berth.ApiServer.Http.Protobuf;

/// <summary>
/// Formats nanoseconds the way Go's <c>time.Duration.String</c> does (<c>1h2m3.5s</c>, <c>1.5ms</c>, <c>0s</c>), which is
/// the JSON form of meta/v1 Duration. Mirrors Go's src/time/time.go (Duration.String).
/// </summary>
internal static class GoDuration
{
    public static string Format(long nanoseconds)
    {
        if (nanoseconds == 0)
        {
            return "0s";
        }
        var negative = nanoseconds < 0;
        var magnitude = negative ? (ulong)(-(nanoseconds + 1)) + 1 : (ulong)nanoseconds;
        var text = magnitude < 1_000_000_000 ? SubSecond(magnitude) : Long(magnitude);
        return negative ? "-" + text : text;
    }

    private static string SubSecond(ulong ns) => ns switch
    {
        < 1_000 => ns.ToString(CultureInfo.InvariantCulture) + "ns",
        < 1_000_000 => Fraction(ns, 1_000) + "µs",
        _ => Fraction(ns, 1_000_000) + "ms",
    };

    private static string Long(ulong ns)
    {
        var seconds = Fraction(ns % 60_000_000_000, 1_000_000_000) + "s";
        var minutesTotal = ns / 60_000_000_000;
        if (minutesTotal == 0)
        {
            return seconds;
        }
        var builder = new StringBuilder();
        if (minutesTotal >= 60)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{minutesTotal / 60}h");
        }
        builder.Append(CultureInfo.InvariantCulture, $"{minutesTotal % 60}m").Append(seconds);
        return builder.ToString();
    }

    /// <summary><paramref name="value"/> / <paramref name="unit"/> with the fraction's trailing zeros dropped.</summary>
    private static string Fraction(ulong value, ulong unit)
    {
        var whole = (value / unit).ToString(CultureInfo.InvariantCulture);
        var rest = value % unit;
        if (rest == 0)
        {
            return whole;
        }
        var digits = unit.ToString(CultureInfo.InvariantCulture).Length - 1;
        return whole + "." + rest.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
    }
}
