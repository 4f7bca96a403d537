using System.Text.Json.Nodes;

namespace Berth.UnitTests.Client;

/// <summary>Minimal objects in storage form for client tests.</summary>
internal static class ClientTestObjects
{
    public static JsonObject Pod(string ns, string name, IReadOnlyDictionary<string, string>? labels = null, string? nodeName = null, string? resourceVersion = null)
    {
        var meta = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (labels is not null)
        {
            meta["labels"] = new JsonObject(labels.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        }
        if (resourceVersion is not null)
        {
            meta["resourceVersion"] = resourceVersion;
        }
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = meta,
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "app:1" }) },
        };
        if (nodeName is not null)
        {
            pod["spec"]!["nodeName"] = nodeName;
        }
        return pod;
    }

    public static JsonObject Node(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Node",
        ["metadata"] = new JsonObject { ["name"] = name },
    };
}
