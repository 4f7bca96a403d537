using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Patching;

namespace Berth.Registry.Generic;

/// <summary>
/// Records non-apply writes in <c>metadata.managedFields</c> (operation <c>Update</c>, with the subresource written)
/// for requests that name a fieldManager (the API server defaults it from the user agent), but only when the object
/// really changes, so a no-op update stays a no-op (no resourceVersion bump). Requests without a manager (in-process
/// controllers) cost nothing here. Apply requests record their own entry (<see cref="ServerSideApply"/>).
/// Mirrors the Update path of k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager (FieldManager.UpdateNoErrors).
/// </summary>
internal static class ManagedFieldsRecorder
{
    /// <summary>Adds the manager's Update entry to <paramref name="desired"/> when it differs from <paramref name="current"/>.</summary>
    public static void RecordUpdate(ResourceKind kind, JsonObject desired, JsonObject? current, string? manager, DateTimeOffset now,
        string? subresource = null)
    {
        if (string.IsNullOrEmpty(manager))
        {
            return;
        }
        if (current is not null && EqualIgnoringManagedFields(desired, current))
        {
            ManagedFields.KeepWellFormed(desired, current);
            return;
        }
        ManagedFields.RecordUpdate(desired, current, kind, manager, now, subresource);
    }

    /// <summary>Deep equality of two objects, skipping <c>metadata.managedFields</c>; mutates neither.</summary>
    private static bool EqualIgnoringManagedFields(JsonObject a, JsonObject b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }
        foreach (var (name, value) in a)
        {
            if (!b.TryGetPropertyValue(name, out var other))
            {
                return false;
            }
            var equal = name == "metadata" && value is JsonObject metaA && other is JsonObject metaB
                ? EqualExcept(metaA, metaB, "managedFields")
                : JsonNode.DeepEquals(value, other);
            if (!equal)
            {
                return false;
            }
        }
        return true;
    }

    private static bool EqualExcept(JsonObject a, JsonObject b, string skip)
    {
        if (a.Count - (a.ContainsKey(skip) ? 1 : 0) != b.Count - (b.ContainsKey(skip) ? 1 : 0))
        {
            return false;
        }
        foreach (var (name, value) in a)
        {
            if (name != skip && (!b.TryGetPropertyValue(name, out var other) || !JsonNode.DeepEquals(value, other)))
            {
                return false;
            }
        }
        return true;
    }
}
