using System.Text.Json.Nodes;

namespace Berth.ApiServer.Http.Protobuf;

/// <summary>
/// How decoded field values land in the JSON object: proto's "last scalar wins, repeated messages merge" rules combined
/// with Go's JSON emptiness rules.
/// </summary>
internal static class ProtobufJsonMerge
{
    /// <summary>The object or array at <paramref name="name"/>, created when absent (repeated and map fields accumulate).</summary>
    public static T Child<T>(JsonObject obj, string name, Func<T> create) where T : JsonNode
    {
        if (obj[name] is T existing)
        {
            return existing;
        }
        var created = create();
        obj[name] = created;
        return created;
    }

    /// <summary>
    /// Sets a scalar; a zero value is dropped (and clears an earlier value) unless the Go field keeps zeros
    /// (a pointer, or no omitempty).
    /// </summary>
    public static void SetScalar(JsonObject obj, string name, JsonNode? value, bool keepsZero)
    {
        if (!keepsZero && ProtobufWireValues.IsZero(value))
        {
            obj.Remove(name);
            return;
        }
        obj[name] = value;
    }

    /// <summary>
    /// Sets a message field: a null value (zero Time, empty RawExtension) is omitted; an inline message's fields go into
    /// <paramref name="obj"/>; a message seen twice merges into the first, as proto specifies.
    /// </summary>
    public static void SetMessage(JsonObject obj, string name, JsonNode? value, bool inline)
    {
        if (inline && value is JsonObject inlined)
        {
            MoveInto(obj, inlined);
        }
        else if (value is null)
        {
            obj.Remove(name);
        }
        else if (obj[name] is JsonObject existing && value is JsonObject next)
        {
            MoveInto(existing, next);
        }
        else
        {
            obj[name] = value;
        }
    }

    /// <summary>Moves every member of <paramref name="source"/> into <paramref name="target"/> (later members win).</summary>
    public static void MoveInto(JsonObject target, JsonObject source)
    {
        foreach (var key in source.Select(p => p.Key).ToList())
        {
            var value = source[key];
            source.Remove(key);
            target[key] = value;
        }
    }
}
