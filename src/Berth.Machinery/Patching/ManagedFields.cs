using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;

namespace Berth.Machinery.Patching;

/// <summary>
/// Maintains <c>metadata.managedFields</c>: one entry per (manager, operation), holding the fields that manager set.
/// Simplified from upstream: ownership is recorded for display (<c>kubectl get -o yaml --show-managed-fields</c>) and
/// never produces a conflict. Mutates only the object passed in; not thread-safe on that object.
/// Mirrors k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager (managedFields entries, FieldsV1).
/// </summary>
public static class ManagedFields
{
    /// <summary>The operation of apply requests (<c>application/apply-patch+yaml</c>).</summary>
    public const string ApplyOperation = "Apply";

    /// <summary>The operation of create, update and non-apply patch requests.</summary>
    public const string UpdateOperation = "Update";

    /// <summary>
    /// Records a non-apply write by <paramref name="manager"/> on <paramref name="obj"/> (the object about to be stored):
    /// the fields whose value differs from <paramref name="previous"/> (all of them on create) join the manager's
    /// <see cref="UpdateOperation"/> entry and leave every other manager's entry; entries left empty are dropped.
    /// A null or empty manager records nothing, as upstream does for requests without fieldManager and user agent.
    /// </summary>
    public static void RecordUpdate(JsonObject obj, JsonObject? previous, ResourceKind kind, string? manager, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(manager))
        {
            return;
        }
        var schema = PatchMergeKeys.ForKind(kind) ?? PatchSchema.Empty;
        var current = FieldPaths.Collect(obj, schema);
        var before = previous is null ? null : FieldPaths.Collect(previous, schema);
        var changed = current
            .Where(p => before is null || !before.TryGetValue(p.Key, out var old) || !JsonNode.DeepEquals(old, p.Value))
            .Select(p => p.Key)
            .ToHashSet(StringComparer.Ordinal);
        Record(obj, kind, manager, UpdateOperation, now, changed, keepExisting: true);
    }

    /// <summary>
    /// Replaces <paramref name="manager"/>'s <see cref="ApplyOperation"/> entry with exactly <paramref name="fields"/>
    /// and removes those fields from other managers' entries.
    /// </summary>
    internal static void RecordApply(JsonObject obj, ResourceKind kind, string manager, DateTimeOffset now, HashSet<string> fields) =>
        Record(obj, kind, manager, ApplyOperation, now, fields, keepExisting: false);

    private static void Record(JsonObject obj, ResourceKind kind, string manager, string operation, DateTimeOffset now,
        HashSet<string> fields, bool keepExisting)
    {
        var entries = (obj["metadata"] as JsonObject)?["managedFields"] as JsonArray;
        var kept = new List<JsonNode>();
        var owned = new HashSet<string>(fields, StringComparer.Ordinal);
        foreach (var entry in entries?.OfType<JsonObject>() ?? [])
        {
            var entryFields = FieldsV1.Parse(entry["fieldsV1"] as JsonObject);
            var isOwn = (string?)entry["manager"] == manager && (string?)entry["operation"] == operation;
            if (isOwn && keepExisting)
            {
                owned.UnionWith(entryFields);
            }
            if (isOwn)
            {
                continue;
            }
            entryFields.ExceptWith(fields);
            if (entryFields.Count > 0)
            {
                var copy = (JsonObject)entry.DeepClone();
                copy["fieldsV1"] = FieldsV1.Render(entryFields);
                kept.Add(copy);
            }
        }
        kept.Add(Entry(kind, manager, operation, now, owned));
        SetEntries(obj, kept);
    }

    private static JsonObject Entry(ResourceKind kind, string manager, string operation, DateTimeOffset now, HashSet<string> fields) => new()
    {
        ["manager"] = manager,
        ["operation"] = operation,
        ["apiVersion"] = kind.ApiVersion,
        ["time"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["fieldsType"] = "FieldsV1",
        ["fieldsV1"] = FieldsV1.Render(fields),
    };

    private static void SetEntries(JsonObject obj, List<JsonNode> entries)
    {
        if (obj["metadata"] is not JsonObject meta)
        {
            meta = new JsonObject();
            obj["metadata"] = meta;
        }
        meta["managedFields"] = new JsonArray([.. entries]);
    }
}
