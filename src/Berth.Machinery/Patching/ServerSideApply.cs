using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;

namespace Berth.Machinery.Patching;

/// <summary>
/// Server-side apply (<c>PATCH</c> with <c>application/apply-patch+yaml</c>, kubectl apply --server-side). The applied
/// configuration is merged into the live object like a strategic merge patch with the same merge keys; fields and list
/// elements the manager applied before, omits now and alone owns are removed (<see cref="AppliedFieldRemoval"/>). A field the
/// apply changes that another manager owns is a conflict (409, <see cref="ApplyConflicts"/>) unless <c>force</c>, which
/// moves it to the applier (<see cref="ClientSideApplyUpgrade"/> forgives some for <c>kubectl</c>). Same-valued fields
/// become shared. Pure: inputs are not mutated.
/// </summary>
/// <remarks>
/// Simplified from sigs.k8s.io/structured-merge-diff: ownership is by <see cref="FieldPaths"/> paths (leaves and list
/// elements, with the strategic-merge-patch keys as list keys) and there is no per-version conversion of field sets.
/// Mirrors the apply path of k8s.io/apiserver/pkg/endpoints/handlers/patch.go (applyPatcher) and merge.Updater.Apply.
/// </remarks>
public static class ServerSideApply
{
    /// <summary>
    /// Returns the object to store: <paramref name="applied"/> merged into <paramref name="live"/> (or, when live is null,
    /// the applied configuration itself, so the caller creates it and answers 201), with managedFields updated.
    /// <paramref name="subresource"/> is null for the object itself or <c>status</c>; fields outside it are neither
    /// owned nor conflicting, as upstream resets them. Throws 400 when <paramref name="fieldManager"/> is empty and 409
    /// on conflicts without <paramref name="force"/>. The caller checks name, namespace and kind.
    /// </summary>
    public static JsonObject Apply(JsonObject? live, JsonObject applied, ResourceKind kind, string fieldManager, DateTimeOffset now,
        bool force = false, string? subresource = null)
    {
        if (string.IsNullOrEmpty(fieldManager))
        {
            throw ApiErrors.BadRequest("PATCH requests with apply content type must specify fieldManager");
        }
        var config = WithoutManagedFields(applied);
        var schema = PatchMergeKeys.ForKind(kind) ?? PatchSchema.Empty;
        var entries = ManagerEntries.Read(live);
        var own = entries.Find(e => e.Is(fieldManager, ManagedFields.ApplyOperation, kind.ApiVersion, subresource));
        var merged = StrategicMergePatch.Apply(live ?? new JsonObject(), config, schema);
        var inScope = InScope(kind, subresource);
        var fields = FieldPaths.Collect(config, schema).Keys.Where(inScope).ToHashSet(StringComparer.Ordinal);
        AppliedFieldRemoval.Remove(merged, own, entries, fields);
        var liveFields = live is null ? null : FieldPaths.Collect(live, schema);
        var changes = FieldChanges.Between(liveFields, FieldPaths.Collect(merged, schema));
        changes.Changed.RemoveWhere(p => !inScope(p));
        var conflicts = ApplyConflicts.Find(entries, own, changes.Changed);
        if (conflicts.Count > 0 && !force &&
            ClientSideApplyUpgrade.Remaining(conflicts, fieldManager, live!, liveFields!, kind, schema) is { Count: > 0 } remaining)
        {
            throw ApplyConflicts.Error(remaining);
        }
        Record(merged, entries, own, changes, new ManagerEntry(fieldManager, ManagedFields.ApplyOperation, kind.ApiVersion, subresource, null, fields), now);
        return merged;
    }

    /// <summary>
    /// Every other manager loses the changed fields (taken, with force) and the removed ones; the applier's entry becomes
    /// exactly the applied fields, its time moving only when the object changed or the entry is new.
    /// </summary>
    private static void Record(JsonObject merged, List<ManagerEntry> entries, ManagerEntry? own, FieldChanges changes, ManagerEntry applier,
        DateTimeOffset now)
    {
        entries.Remove(own!);
        foreach (var entry in entries)
        {
            changes.TakeFrom(entry);
        }
        applier.Time = own is null || !changes.IsEmpty ? ManagerEntry.FormatTime(now) : own.Time;
        entries.Add(applier);
        ManagerEntries.Write(merged, entries);
    }

    /// <summary>
    /// Which paths an apply through <paramref name="subresource"/> may own: only <c>status</c> through the status
    /// subresource; anything but <c>status</c> on the object itself when the kind has a status subresource.
    /// </summary>
    private static Func<string, bool> InScope(ResourceKind kind, string? subresource)
    {
        const string Status = "f:status";
        static bool IsStatus(string p) => p.StartsWith(Status, StringComparison.Ordinal) && (p.Length == Status.Length || p[Status.Length] == FieldPaths.Separator);
        return subresource switch
        {
            "status" => IsStatus,
            null when kind.Subresources.Contains("status") => p => !IsStatus(p),
            _ => _ => true,
        };
    }

    /// <summary>A copy of the configuration without <c>metadata.managedFields</c>, which an apply never sets directly.</summary>
    private static JsonObject WithoutManagedFields(JsonObject applied)
    {
        var copy = (JsonObject)applied.DeepClone();
        (copy["metadata"] as JsonObject)?.Remove("managedFields");
        return copy;
    }
}
