using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Registry.Validation;

/// <summary>
/// Equality of two JSON values the way Go compares the decoded structs (apimachinery's Semantic.DeepEqual): an
/// absent field, null, "", 0, false, [] and {} are all the zero value and so equal to each other.
/// </summary>
internal static class JsonSemantics
{
    public static bool Equal(JsonNode? a, JsonNode? b)
    {
        if (IsZero(a) && IsZero(b))
        {
            return true;
        }
        return (a, b) switch
        {
            (JsonObject oa, JsonObject ob) => ObjectsEqual(oa, ob),
            (JsonArray aa, JsonArray ab) => aa.Count == ab.Count && aa.Zip(ab).All(p => Equal(p.First, p.Second)),
            (JsonValue va, JsonValue vb) => ValuesEqual(va, vb),
            _ => false,
        };
    }

    public static bool IsZero(JsonNode? node) => node switch
    {
        null => true,
        JsonObject o => o.Count == 0 || o.All(p => IsZero(p.Value)),
        JsonArray a => a.Count == 0,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>().Length == 0,
            JsonValueKind.False or JsonValueKind.Null => true,
            JsonValueKind.Number => JsonFields.AsNumber(v) == 0,
            _ => false,
        },
        _ => false,
    };

    private static bool ObjectsEqual(JsonObject a, JsonObject b)
    {
        foreach (var (key, value) in a)
        {
            if (!Equal(value, b[key]))
            {
                return false;
            }
        }
        foreach (var (key, value) in b)
        {
            if (!a.ContainsKey(key) && !IsZero(value))
            {
                return false;
            }
        }
        return true;
    }

    private static bool ValuesEqual(JsonValue a, JsonValue b)
    {
        var ka = a.GetValueKind();
        if (ka != b.GetValueKind())
        {
            return false;
        }
        return ka switch
        {
            JsonValueKind.String => a.GetValue<string>() == b.GetValue<string>(),
            JsonValueKind.Number => JsonFields.AsNumber(a) is { } da && JsonFields.AsNumber(b) is { } db
                ? da == db
                : a.ToJsonString() == b.ToJsonString(),
            _ => true,
        };
    }
}
