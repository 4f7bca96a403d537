using System.Text.Json.Nodes;

namespace Berth.Machinery.Serialization;

/// <summary>Typed access to the fields of an object in storage form. Reads never throw on a missing path.</summary>
public static class JsonObjectExtensions
{
    /// <summary>The object's <c>metadata</c>, created empty when absent.</summary>
    public static JsonObject Metadata(this JsonObject obj)
    {
        if (obj["metadata"] is JsonObject meta)
        {
            return meta;
        }
        meta = new JsonObject();
        obj["metadata"] = meta;
        return meta;
    }

    public static string? GetName(this JsonObject obj) => obj.GetString("metadata", "name");

    public static string? GetNamespace(this JsonObject obj) => obj.GetString("metadata", "namespace");

    public static string? GetUid(this JsonObject obj) => obj.GetString("metadata", "uid");

    public static string? GetResourceVersion(this JsonObject obj) => obj.GetString("metadata", "resourceVersion");

    /// <summary>The node at <paramref name="path"/>, or null when any step is missing or not an object.</summary>
    public static JsonNode? GetPath(this JsonObject obj, params string[] path)
    {
        JsonNode? cur = obj;
        foreach (var step in path)
        {
            if (cur is not JsonObject o || !o.TryGetPropertyValue(step, out cur))
            {
                return null;
            }
        }
        return cur;
    }

    public static string? GetString(this JsonObject obj, params string[] path) =>
        obj.GetPath(path) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>An integer at <paramref name="path"/>, whether parsed from JSON or built in code from an int or long.</summary>
    public static long? GetLong(this JsonObject obj, params string[] path) =>
        obj.GetPath(path) is JsonValue v ? AsLong(v) : null;

    /// <summary>The integer in <paramref name="v"/>, whether parsed from JSON or built in code from an int or long; else null.</summary>
    public static long? AsLong(JsonValue v)
    {
        if (v.TryGetValue<long>(out var l))
        {
            return l;
        }
        if (v.TryGetValue<int>(out var i))
        {
            return i;
        }
        return v.TryGetValue<double>(out var d) && d == Math.Floor(d) && Math.Abs(d) < 9.2e18 ? (long)d : null;
    }

    public static bool? GetBool(this JsonObject obj, params string[] path) =>
        obj.GetPath(path) is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    public static JsonObject? GetObject(this JsonObject obj, params string[] path) => obj.GetPath(path) as JsonObject;

    public static JsonArray? GetArray(this JsonObject obj, params string[] path) => obj.GetPath(path) as JsonArray;

    /// <summary>Sets <paramref name="value"/> at <paramref name="path"/>, creating intermediate objects.</summary>
    public static void SetPath(this JsonObject obj, JsonNode? value, params string[] path)
    {
        var cur = obj;
        for (var i = 0; i < path.Length - 1; i++)
        {
            if (cur[path[i]] is not JsonObject next)
            {
                next = new JsonObject();
                cur[path[i]] = next;
            }
            cur = next;
        }
        cur[path[^1]] = value;
    }

    /// <summary>String-to-string map at <paramref name="path"/> (labels, annotations, selectors); empty when absent.</summary>
    public static IReadOnlyDictionary<string, string> GetStringMap(this JsonObject obj, params string[] path)
    {
        if (obj.GetPath(path) is not JsonObject map)
        {
            return EmptyMap;
        }
        var result = new Dictionary<string, string>(map.Count, StringComparer.Ordinal);
        foreach (var (k, v) in map)
        {
            if (v is JsonValue jv && jv.TryGetValue<string>(out var s))
            {
                result[k] = s;
            }
        }
        return result;
    }

    public static IReadOnlyDictionary<string, string> GetLabels(this JsonObject obj) => obj.GetStringMap("metadata", "labels");

    private static readonly IReadOnlyDictionary<string, string> EmptyMap = new Dictionary<string, string>();
}
