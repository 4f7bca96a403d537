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
    public static bool TryParse(string? value, out DateTimeOffset time)
    {
        if (string.IsNullOrEmpty(value))
        {
            time = default;
            return false;
        }
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }

    /// <summary>The age of <paramref name="timestamp"/> at <paramref name="now"/>, or <c>&lt;unknown&gt;</c> when absent.</summary>
    public static string Since(string? timestamp, DateTimeOffset now) =>
        TryParse(timestamp, out var t) ? HumanDuration.Format(now - t) : Unknown;
}
