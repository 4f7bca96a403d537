using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;

namespace Berth.Machinery.Patching;

/// <summary>
/// Simplified server-side apply (<c>PATCH</c> with <c>application/apply-patch+yaml</c>, kubectl apply --server-side).
/// The applied configuration is merged into the live object like a strategic merge patch with the same merge keys,
/// and the field manager's <c>Apply</c> entry in <c>metadata.managedFields</c> is replaced by the fields the
/// configuration sets. Pure: inputs are not mutated.
/// </summary>
/// <remarks>
/// Deliberately not full SSA (sigs.k8s.io/structured-merge-diff): there are never conflicts (so never a 409, and
/// <c>force</c> changes nothing). Plain fields a manager applied before, omits now and alone owned are removed
/// (<see cref="AppliedFieldRemoval"/>); dropped list elements are not (they only leave the manager's entry).
/// Mirrors the apply path of k8s.io/apiserver/pkg/endpoints/handlers/patch.go (applyPatcher) in shape only.
/// </remarks>
public static class ServerSideApply
{
    /// <summary>
    /// Returns the object to store: <paramref name="applied"/> merged into <paramref name="live"/> (or, when live is null,
    /// the applied configuration itself, so the caller creates it and answers 201), with managedFields updated.
    /// Throws a 400 when <paramref name="fieldManager"/> is empty. The caller checks name, namespace and kind.
    /// </summary>
    public static JsonObject Apply(JsonObject? live, JsonObject applied, ResourceKind kind, string fieldManager, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(fieldManager))
        {
            throw ApiErrors.BadRequest("PATCH requests with apply content type must specify fieldManager");
        }
        var config = WithoutManagedFields(applied);
        var schema = PatchMergeKeys.ForKind(kind) ?? PatchSchema.Empty;
        var previous = AppliedFieldRemoval.SolelyApplied(live, fieldManager);
        var merged = StrategicMergePatch.Apply(live ?? new JsonObject(), config, schema);
        var fields = FieldPaths.Collect(config, schema).Keys.ToHashSet(StringComparer.Ordinal);
        AppliedFieldRemoval.Remove(merged, previous, fields);
        ManagedFields.RecordApply(merged, kind, fieldManager, now, fields);
        return merged;
    }

    /// <summary>A copy of the configuration without <c>metadata.managedFields</c>, which an apply never sets directly.</summary>
    private static JsonObject WithoutManagedFields(JsonObject applied)
    {
        var copy = (JsonObject)applied.DeepClone();
        (copy["metadata"] as JsonObject)?.Remove("managedFields");
        return copy;
    }
}
