using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Registry.Generic;

/// <summary>
/// Accessors for the <c>metadata</c> fields the generic registry owns (deletion fields, finalizers, generation,
/// resourceVersion). Mutating members change the object in place; callers own the object they mutate.
/// Mirrors the parts of k8s.io/apimachinery meta.Accessor the registry uses.
/// </summary>
internal static class MetaFields
{
    public static DateTimeOffset? GetDeletionTimestamp(this JsonObject obj) =>
        MetaTime.Parse(obj.GetString("metadata", "deletionTimestamp"));

    public static void SetDeletionTimestamp(this JsonObject obj, DateTimeOffset? value) =>
        SetOrRemove(obj.Metadata(), "deletionTimestamp", value is null ? null : MetaTime.ToJson(value.Value));

    public static long? GetDeletionGracePeriodSeconds(this JsonObject obj) =>
        obj.GetLong("metadata", "deletionGracePeriodSeconds");

    public static void SetDeletionGracePeriodSeconds(this JsonObject obj, long? value) =>
        SetOrRemove(obj.Metadata(), "deletionGracePeriodSeconds", value is null ? null : JsonValue.Create(value.Value));

    public static long GetGeneration(this JsonObject obj) => obj.GetLong("metadata", "generation") ?? 0;

    public static void SetGeneration(this JsonObject obj, long value) =>
        SetOrRemove(obj.Metadata(), "generation", value == 0 ? null : JsonValue.Create(value));

    public static void SetResourceVersion(this JsonObject obj, string? value) =>
        SetOrRemove(obj.Metadata(), "resourceVersion", value is null ? null : JsonValue.Create(value));

    /// <summary>The finalizers in order; empty when absent.</summary>
    public static List<string> GetFinalizers(this JsonObject obj)
    {
        var list = new List<string>();
        if (obj.GetArray("metadata", "finalizers") is { } array)
        {
            foreach (var item in array)
            {
                if (item is JsonValue v && v.TryGetValue<string>(out var s))
                {
                    list.Add(s);
                }
            }
        }
        return list;
    }

    /// <summary>Writes <paramref name="finalizers"/>, removing the field when the list is empty (omitempty).</summary>
    public static void SetFinalizers(this JsonObject obj, IReadOnlyList<string> finalizers) =>
        SetOrRemove(obj.Metadata(), "finalizers",
            finalizers.Count == 0 ? null : new JsonArray(finalizers.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()));

    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/>, or removes it when the value is null.</summary>
    public static void SetOrRemove(JsonObject obj, string name, JsonNode? value)
    {
        if (value is null)
        {
            obj.Remove(name);
        }
        else
        {
            obj[name] = value;
        }
    }

    /// <summary>Copies field <paramref name="name"/> of <paramref name="from"/> (or its absence) onto <paramref name="to"/>.</summary>
    public static void CopyField(JsonObject from, JsonObject to, string name) =>
        SetOrRemove(to, name, from[name]?.DeepClone());
}
