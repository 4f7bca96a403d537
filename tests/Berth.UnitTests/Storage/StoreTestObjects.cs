using System.Text.Json.Nodes;
using Berth.Storage;

namespace Berth.UnitTests.Storage;

/// <summary>Object builders and watch readers shared by the storage tests.</summary>
internal static class StoreTestObjects
{
    public static string PodKey(string name, string ns = "default") => $"/pods/{ns}/{name}";

    public static JsonObject Pod(string name, string ns = "default", string image = "nginx") => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = image }),
        },
    };

    public static string? ResourceVersion(StoredObject obj) =>
        obj.ToJsonObject()["metadata"]?["resourceVersion"]?.GetValue<string>();

    public static string? Image(StoredObject obj) =>
        obj.ToJsonObject()["spec"]?["containers"]?[0]?["image"]?.GetValue<string>();

    /// <summary>Reads exactly <paramref name="count"/> events, failing after the default bounded wait.</summary>
    public static async Task<List<StoreEvent>> ReadAsync(IStoreWatch watch, int count)
    {
        var events = new List<StoreEvent>(count);
        while (events.Count < count)
        {
            events.Add(await watch.Events.ReadAsync().AsTask().DefaultTimeout());
        }
        return events;
    }
}
