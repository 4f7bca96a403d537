using System.Text.Json.Nodes;

namespace Berth.Registry.Autoscaling;

/// <summary>Small JSON building helpers for the autoscaling conversions. Stateless.</summary>
internal static class Json
{
    /// <summary>A deep copy of <paramref name="node"/>, or null.</summary>
    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    /// <summary>An object of the given fields in order, leaving out null values (Go's <c>omitempty</c> on pointers).</summary>
    public static JsonObject Compact(params (string Name, JsonNode? Value)[] fields)
    {
        var obj = new JsonObject();
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                obj[name] = value;
            }
        }
        return obj;
    }
}
