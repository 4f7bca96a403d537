using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.Registry.Generic;

/// <summary>
/// RFC 3339 timestamps as the API server writes them (<c>metav1.Time</c>): UTC, whole seconds, <c>Z</c> suffix.
/// Thread-safe; pure functions.
/// </summary>
internal static class MetaTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>Truncates <paramref name="time"/> to whole seconds (metav1.Time drops the fraction on the wire).</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    public static string ToString(DateTimeOffset time) =>
        Truncate(time).UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static JsonValue ToJson(DateTimeOffset time) => JsonValue.Create(ToString(time));

    /// <summary>Parses an RFC 3339 value (with or without fraction/offset); null when absent or malformed.</summary>
    public static DateTimeOffset? Parse(string? value) =>
        value is not null && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : null;
}
