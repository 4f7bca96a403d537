using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.GarbageCollector;

/// <summary>
/// What the dependency graph keeps of an observed object: <c>metadata</c> name, namespace, uid, deletionTimestamp and
/// finalizers only — everything the collector reads from a graph node. Keeping this small copy instead of the
/// informer's object lets the informer's cache drop parsed objects while the server idles (issue 2: RSS).
/// </summary>
/// <remarks>Upstream's graph node likewise keeps an object reference and a few flags, not the object.</remarks>
internal static class GraphObject
{
    private static readonly string[] KeptStrings = ["name", "namespace", "uid", "deletionTimestamp"];

    /// <summary>A new object with only the kept metadata fields of <paramref name="obj"/> (copied as plain strings).</summary>
    public static JsonObject Skeleton(JsonObject obj)
    {
        var metadata = new JsonObject();
        foreach (var name in KeptStrings)
        {
            if (obj.GetString("metadata", name) is { } value)
            {
                metadata[name] = value;
            }
        }
        if (obj.GetArray("metadata", "finalizers") is { } finalizers)
        {
            metadata["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode?)JsonValue.Create(f?.GetValue<string>()))]);
        }
        return new JsonObject { ["metadata"] = metadata };
    }
}
