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

    /// <summary>
    /// Sets <paramref name="to"/>'s <c>resource</c> and <c>containerResource</c> sources from <paramref name="from"/>'s
    /// through <paramref name="convert"/> (the two differ only in the container, which is copied as it is).
    /// </summary>
    public static void ConvertResourceSources(JsonObject from, JsonObject to, Func<JsonObject, JsonObject> convert)
    {
        if (from["resource"] is JsonObject resource)
        {
            to["resource"] = convert(resource);
        }
        if (from["containerResource"] is JsonObject containerResource)
        {
            var converted = convert(containerResource);
            converted["container"] = Clone(containerResource["container"]);
            to["containerResource"] = converted;
        }
    }
}
