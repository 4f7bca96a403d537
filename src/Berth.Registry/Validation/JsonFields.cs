using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Registry.Validation;

/// <summary>
/// Lenient readers for JSON nodes in storage form, used by validation and defaulting. They never throw: a node of
/// the wrong JSON type reads as absent.
/// </summary>
internal static class JsonFields
{
    public static string? AsString(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static long? AsLong(JsonNode? node) =>
        AsNumber(node) is { } d && d == decimal.Truncate(d) && d is >= long.MinValue and <= long.MaxValue ? (long)d : null;

    /// <summary>Any JSON number, whatever CLR type backs the node (parsed text, int, long, double…).</summary>
    public static decimal? AsNumber(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number &&
        decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    public static bool? AsBool(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    /// <summary>The objects of an array, with their indexes; non-object items are skipped.</summary>
    public static IEnumerable<(int Index, JsonObject Item)> Objects(JsonArray? array)
    {
        if (array is null)
        {
            yield break;
        }
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonObject o)
            {
                yield return (i, o);
            }
        }
    }

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> when the key is absent or null.</summary>
    public static void SetDefault(JsonObject obj, string key, JsonNode value)
    {
        if (obj[key] is null)
        {
            obj[key] = value;
        }
    }

    /// <summary>Sets a string field when it is absent, null or empty (Go's zero value).</summary>
    public static void SetDefaultString(JsonObject obj, string key, string value)
    {
        if (obj[key] is null || AsString(obj[key]) == "")
        {
            obj[key] = value;
        }
    }

    /// <summary>The child object at <paramref name="key"/>, created empty when absent or not an object.</summary>
    public static JsonObject Child(JsonObject obj, string key)
    {
        if (obj[key] is JsonObject child)
        {
            return child;
        }
        child = new JsonObject();
        obj[key] = child;
        return child;
    }

    /// <summary>An IntOrString value: its int when numeric, else its string; null when absent.</summary>
    public static object? AsIntOrString(JsonNode? node) =>
        AsLong(node) is { } l ? l : AsString(node);
}
