using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables;

/// <summary>
/// Allocation-free, one-step field reads for printers. Every read tolerates a missing object, a missing field,
/// JSON null and a value of the wrong type, which all read as absent; printers never throw on stored objects.
/// </summary>
internal static class JsonFields
{
    public static JsonObject? Obj(this JsonObject? o, string key) =>
        o is not null && o.TryGetPropertyValue(key, out var n) ? n as JsonObject : null;

    public static JsonArray? Arr(this JsonObject? o, string key) =>
        o is not null && o.TryGetPropertyValue(key, out var n) ? n as JsonArray : null;

    public static string? Str(this JsonObject? o, string key) =>
        o is not null && o.TryGetPropertyValue(key, out var n) ? n.AsString() : null;

    /// <summary>The string at <paramref name="key"/>, or "" when absent (Go's zero value).</summary>
    public static string StrOrEmpty(this JsonObject? o, string key) => o.Str(key) ?? "";

    public static long? Int(this JsonObject? o, string key) =>
        o is not null && o.TryGetPropertyValue(key, out var n) && n is JsonValue v ? ToLong(v) : null;

    public static long IntOrZero(this JsonObject? o, string key) => o.Int(key) ?? 0;

    public static bool? Bool(this JsonObject? o, string key) =>
        o is not null && o.TryGetPropertyValue(key, out var n) && n is JsonValue v && v.TryGetValue<bool>(out var b)
            ? b
            : null;

    /// <summary>True when <paramref name="key"/> is present and not JSON null (Go's non-nil pointer).</summary>
    public static bool Has(this JsonObject? o, string key) =>
        o is not null && o.TryGetPropertyValue(key, out var n) && n is not null;

    /// <summary>Number of elements of an array or members of an object at <paramref name="key"/>; 0 when absent.</summary>
    public static int CountOf(this JsonObject? o, string key) =>
        o is not null && o.TryGetPropertyValue(key, out var n)
            ? n switch { JsonArray a => a.Count, JsonObject m => m.Count, _ => 0 }
            : 0;

    /// <summary>The node as a string, or null when it is not a JSON string.</summary>
    public static string? AsString(this JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>The string elements of an array, in order, skipping elements that are not strings.</summary>
    public static List<string> StringItems(this JsonArray? a)
    {
        var list = new List<string>(a?.Count ?? 0);
        if (a is not null)
        {
            foreach (var n in a)
            {
                if (n.AsString() is { } s)
                {
                    list.Add(s);
                }
            }
        }
        return list;
    }

    /// <summary>The objects of an array, skipping elements that are not objects.</summary>
    public static IEnumerable<JsonObject> Objects(this JsonArray? a)
    {
        if (a is null)
        {
            yield break;
        }
        foreach (var n in a)
        {
            if (n is JsonObject o)
            {
                yield return o;
            }
        }
    }

    /// <summary>The element of <c>conditions</c>-style arrays whose <c>type</c> is <paramref name="type"/>.</summary>
    public static JsonObject? FindByType(this JsonArray? a, string type)
    {
        if (a is null)
        {
            return null;
        }
        foreach (var n in a)
        {
            if (n is JsonObject o && o.Str("type") == type)
            {
                return o;
            }
        }
        return null;
    }

    private static long? ToLong(JsonValue v)
    {
        if (v.TryGetValue<long>(out var l))
        {
            return l;
        }
        if (v.TryGetValue<int>(out var i))
        {
            return i;
        }
        if (v.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out l))
        {
            return l;
        }
        return v.TryGetValue<double>(out var d) ? (long)d : null;
    }
}
