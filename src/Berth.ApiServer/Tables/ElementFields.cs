using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables;

/// <summary>
/// The <see cref="JsonFields"/> reads over a read-only <see cref="JsonElement"/>, for printers that run on stored bytes
/// without materialising a DOM. "Absent" is <c>default(JsonElement)</c> (<see cref="JsonValueKind.Undefined"/>), and
/// every read tolerates it, JSON null and values of the wrong type exactly as <see cref="JsonFields"/> does.
/// The elements are only valid while the <see cref="JsonDocument"/> they come from is alive.
/// </summary>
internal static class ElementFields
{
    public static JsonElement Obj(this JsonElement o, string key) =>
        Get(o, key) is { ValueKind: JsonValueKind.Object } v ? v : default;

    public static JsonElement Arr(this JsonElement o, string key) =>
        Get(o, key) is { ValueKind: JsonValueKind.Array } v ? v : default;

    public static string? Str(this JsonElement o, string key) => Get(o, key).AsString();

    /// <summary>The string at <paramref name="key"/>, or "" when absent (Go's zero value).</summary>
    public static string StrOrEmpty(this JsonElement o, string key) => o.Str(key) ?? "";

    public static long? Int(this JsonElement o, string key)
    {
        var v = Get(o, key);
        if (v.ValueKind != JsonValueKind.Number)
        {
            return null;
        }
        return v.TryGetInt64(out var l) ? l : v.TryGetDouble(out var d) ? (long)d : null;
    }

    public static long IntOrZero(this JsonElement o, string key) => o.Int(key) ?? 0;

    public static bool? Bool(this JsonElement o, string key) => Get(o, key).ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>True when <paramref name="key"/> is present and not JSON null (Go's non-nil pointer).</summary>
    public static bool Has(this JsonElement o, string key) => Get(o, key).ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);

    /// <summary>Number of elements of an array or members of an object at <paramref name="key"/>; 0 when absent.</summary>
    public static int CountOf(this JsonElement o, string key)
    {
        var v = Get(o, key);
        return v.ValueKind switch
        {
            JsonValueKind.Array => v.GetArrayLength(),
            JsonValueKind.Object => v.EnumerateObject().Count(),
            _ => 0,
        };
    }

    /// <summary>True for a JSON object (false when absent).</summary>
    public static bool IsObject(this JsonElement e) => e.ValueKind == JsonValueKind.Object;

    /// <summary>Elements of an array (0 when absent or not an array).</summary>
    public static int Length(this JsonElement a) => a.ValueKind == JsonValueKind.Array ? a.GetArrayLength() : 0;

    /// <summary>The element as a string, or null when it is not a JSON string.</summary>
    public static string? AsString(this JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    /// <summary>The objects of an array, skipping elements that are not objects.</summary>
    public static IEnumerable<JsonElement> Objects(this JsonElement a)
    {
        if (a.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }
        foreach (var e in a.EnumerateArray())
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                yield return e;
            }
        }
    }

    /// <summary>The element of <c>conditions</c>-style arrays whose <c>type</c> is <paramref name="type"/>.</summary>
    public static JsonElement FindByType(this JsonElement a, string type)
    {
        foreach (var o in a.Objects())
        {
            if (o.Str("type") == type)
            {
                return o;
            }
        }
        return default;
    }

    /// <summary>A read-only copy of <paramref name="obj"/> to read with these methods; the caller disposes it.</summary>
    public static JsonDocument ToDocument(JsonObject obj)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            obj.WriteTo(writer);
        }
        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    private static JsonElement Get(JsonElement o, string key) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(key, out var v) ? v : default;
}
