using System.Globalization;

namespace Berth.ApiServer.Tables;

/// <summary>
/// RFC 3339 timestamps as stored (<c>metav1.Time</c>, <c>metav1.MicroTime</c>) and their age strings.
/// Mirrors translateTimestampSince in kubernetes/kubernetes pkg/printers/internalversion/printers.go. Thread-safe.
/// </summary>
public static class Timestamps
{
    /// <summary>What a printer shows for a missing (zero) timestamp.</summary>
    public const string Unknown = "<unknown>";

    /// <summary>Parses an RFC 3339 timestamp (with or without fractional seconds). Null, empty or malformed is false.</summary>
    /// <remarks>The server's own form <c>2006-01-02T15:04:05Z</c> takes an allocation-free fast path (a LIST of
    /// thousands of pods parses several timestamps per row); anything else goes through the general parser.</remarks>
    public static bool TryParse(string? value, out DateTimeOffset time)
    {
        if (string.IsNullOrEmpty(value))
        {
            time = default;
            return false;
        }
        if (TryParseUtcSeconds(value, out time))
        {
            return true;
        }
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }

    /// <summary>Exactly <c>yyyy-MM-ddTHH:mm:ssZ</c>; false for any other shape or an out-of-range field.</summary>
    private static bool TryParseUtcSeconds(string s, out DateTimeOffset time)
    {
        time = default;
        if (s.Length != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
        {
            return false;
        }
        var year = Digits(s, 0, 4);
        var month = Digits(s, 5, 2);
        var day = Digits(s, 8, 2);
        var hour = Digits(s, 11, 2);
        var minute = Digits(s, 14, 2);
        var second = Digits(s, 17, 2);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) ||
            hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 59)
        {
            return false;
        }
        time = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
        return true;
    }

    /// <summary>The decimal value of <paramref name="count"/> ASCII digits at <paramref name="start"/>, or -1.</summary>
    private static int Digits(string s, int start, int count)
    {
        var value = 0;
        for (var i = start; i < start + count; i++)
        {
            var d = s[i] - '0';
            if (d is < 0 or > 9)
            {
                return -1;
            }
            value = (value * 10) + d;
        }
        return value;
    }

    /// <summary>The age of <paramref name="timestamp"/> at <paramref name="now"/>, or <c>&lt;unknown&gt;</c> when absent.</summary>
    public static string Since(string? timestamp, DateTimeOffset now) =>
        TryParse(timestamp, out var t) ? HumanDuration.Format(now - t) : Unknown;
}
