using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Streaming;

/// <summary>
/// Typed reads of the query parameters of pods/log and pods/exec, converted as upstream's query parameter codec does
/// (k8s.io/apimachinery pkg/runtime conversion: Convert_Slice_string_To_bool/int64, metav1.Time from RFC 3339).
/// Unparseable values are a 400, never a 500.
/// </summary>
internal static class StreamingQuery
{
    /// <summary>Absent is false; "0", "f" and "false" (any case) are false; any other value, even empty, is true.</summary>
    public static bool Bool(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0)
        {
            return false;
        }
        var value = values[0] ?? "";
        return !(value == "0" || value.Equals("f", StringComparison.OrdinalIgnoreCase)
            || value.Equals("false", StringComparison.OrdinalIgnoreCase));
    }

    public static long? Int64(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0)
        {
            return null;
        }
        var value = values[0] ?? "";
        return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw StreamingErrors.BadParameter(name, value, "expected an integer");
    }

    /// <summary>An RFC 3339 instant such as <c>2024-05-01T10:00:00Z</c> (fractional seconds and offsets allowed).</summary>
    public static DateTimeOffset? Time(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return null;
        }
        var value = values[0]!;
        const DateTimeStyles styles = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal;
        return value.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, styles, out var t)
            ? t
            : throw StreamingErrors.BadParameter(name, value, "expected an RFC 3339 time");
    }

    public static string? String(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    /// <summary>Every value of a repeated parameter, in order (exec sends one <c>command</c> per argv element).</summary>
    public static IReadOnlyList<string> All(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) ? values.Select(v => v ?? "").ToList() : [];
}
