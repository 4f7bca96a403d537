using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.GarbageCollector;

/// <summary>
/// What the dependency graph keeps of an observed object: the <c>metadata</c> fields the collector reads (name,
/// namespace, uid, deletionTimestamp, finalizers). Keeping these few strings instead of the informer's object lets the
/// informer's cache drop its parsed objects while the server idles (issue 2: RSS with 3,000 pods).
/// </summary>
/// <remarks>Upstream's graph node likewise keeps an object reference and a few flags (graph.go node), not the object. Immutable.</remarks>
internal sealed record GraphObject(string? Name, string? Namespace, string? Uid, string? DeletionTimestamp, IReadOnlyList<string> Finalizers)
{
    public static GraphObject Of(JsonObject obj) => new(
        obj.GetName(), obj.GetNamespace(), obj.GetUid(), obj.GetString("metadata", "deletionTimestamp"),
        obj.GetArray("metadata", "finalizers") is { Count: > 0 } finalizers
            ? [.. finalizers.Select(f => f is JsonValue v && v.TryGetValue<string>(out var s) ? s : "")]
            : []);

    public bool IsBeingDeleted => DeletionTimestamp is not null;

    /// <summary>Being deleted in the foreground: waits for its blocking dependents to go.</summary>
    public bool IsDeletingDependents => IsBeingDeleted && Finalizers.Contains(GcFinalizers.ForegroundDeletion);

    /// <summary>Whether the deletion state (deletionTimestamp or finalizers) differs from <paramref name="other"/>'s.</summary>
    public bool DeletionStateDiffers(GraphObject other) =>
        DeletionTimestamp != other.DeletionTimestamp || !Finalizers.SequenceEqual(other.Finalizers);

    /// <summary>A new object with just these fields under <c>metadata</c>, as the collector's syncs read it.</summary>
    public JsonObject ToJsonObject()
    {
        var metadata = new JsonObject();
        Add(metadata, "name", Name);
        Add(metadata, "namespace", Namespace);
        Add(metadata, "uid", Uid);
        Add(metadata, "deletionTimestamp", DeletionTimestamp);
        if (Finalizers.Count > 0)
        {
            metadata["finalizers"] = new JsonArray([.. Finalizers.Select(f => (JsonNode?)JsonValue.Create(f))]);
        }
        return new JsonObject { ["metadata"] = metadata };
    }

    private static void Add(JsonObject metadata, string name, string? value)
    {
        if (value is not null)
        {
            metadata[name] = value;
        }
    }
}
