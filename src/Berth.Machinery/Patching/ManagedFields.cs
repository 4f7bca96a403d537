using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;

namespace Berth.Machinery.Patching;

/// <summary>
/// Maintains <c>metadata.managedFields</c> for non-apply writes (create, update, patch; <see cref="ServerSideApply"/>
/// records applies): one entry per manager (manager, operation, apiVersion, subresource) holding the fields it owns.
/// Mutates only the object passed in; not thread-safe on that object.
/// Mirrors the Update path of sigs.k8s.io/structured-merge-diff merge.Updater and k8s.io/apimachinery
/// managedfields/internal (managedFieldsUpdater: the time moves only when the manager took fields).
/// </summary>
public static class ManagedFields
{
    /// <summary>The operation of apply requests (<c>application/apply-patch+yaml</c>).</summary>
    public const string ApplyOperation = "Apply";

    /// <summary>The operation of create, update and non-apply patch requests.</summary>
    public const string UpdateOperation = "Update";

    /// <summary>
    /// Records a non-apply write by <paramref name="manager"/> on <paramref name="obj"/> (the object about to be stored),
    /// made through <paramref name="subresource"/> (null for the object itself): fields added or given a new value
    /// (all of them on create) join the manager's <see cref="UpdateOperation"/> entry and leave every other entry;
    /// removed fields leave every entry; entries left empty are dropped. A null or empty manager records nothing.
    /// </summary>
    public static void RecordUpdate(JsonObject obj, JsonObject? previous, ResourceKind kind, string? manager, DateTimeOffset now,
        string? subresource = null)
    {
        if (string.IsNullOrEmpty(manager))
        {
            return;
        }
        var schema = PatchMergeKeys.ForKind(kind) ?? PatchSchema.Empty;
        var changes = FieldChanges.Between(previous, obj, schema);
        var entries = StartingEntries(obj, previous, subresource);
        foreach (var entry in entries)
        {
            changes.TakeFrom(entry);
        }
        if (changes.Changed.Count > 0)
        {
            var own = entries.Find(e => e.Is(manager, UpdateOperation, kind.ApiVersion, subresource));
            if (own is null)
            {
                own = new ManagerEntry(manager, UpdateOperation, kind.ApiVersion, subresource, null, new HashSet<string>(StringComparer.Ordinal));
                entries.Add(own);
            }
            own.Fields.UnionWith(changes.Changed);
            own.MarkChanged();
            own.Time = ManagerEntry.FormatTime(now);
        }
        ManagerEntries.Write(obj, entries);
    }

    /// <summary>
    /// For a write that changes nothing but (maybe) managedFields: malformed entries the request carries are replaced
    /// by <paramref name="previous"/>'s, so stored managedFields always parse. Well-formed ones stay (a client may
    /// rewrite managedFields directly, as kubectl does when it upgrades client-side apply ownership).
    /// </summary>
    public static void KeepWellFormed(JsonObject obj, JsonObject previous)
    {
        if (ManagerEntries.TryRead(obj) is null)
        {
            ManagerEntries.Write(obj, ManagerEntries.Read(previous));
        }
    }

    /// <summary>
    /// The entries a write starts from: those the request carries when it writes the object itself and they are
    /// well-formed and not empty (a client may set managedFields directly); otherwise the stored ones, as upstream
    /// falls back to the live object's so that clients unaware of managedFields cannot drop them. A subresource write
    /// always starts from the stored ones (read from the request's copy when equal, so they can be moved, not copied).
    /// </summary>
    private static List<ManagerEntry> StartingEntries(JsonObject obj, JsonObject? previous, string? subresource)
    {
        var sent = (obj["metadata"] as JsonObject)?["managedFields"];
        var stored = (previous?["metadata"] as JsonObject)?["managedFields"];
        var usable = subresource is null || JsonNode.DeepEquals(sent, stored);
        return usable && ManagerEntries.TryRead(obj, movable: true) is { Count: > 0 } entries ? entries : ManagerEntries.Read(previous);
    }
}
