using k8s.Models;
using Berth.Machinery.Errors;

namespace Berth.Machinery.Patching;

/// <summary>
/// The conflicts of a server-side apply: fields the apply changes (<see cref="FieldChanges.Changed"/>) that another
/// manager owns, whatever its operation. Without <c>force</c> they fail the request with upstream's 409 (reason
/// Conflict, one <c>FieldManagerConflict</c> cause per field). Pure. Mirrors sigs.k8s.io/structured-merge-diff
/// merge.Updater (conflicts of update) and k8s.io/apimachinery managedfields/internal/conflict.go (NewConflictError).
/// </summary>
internal static class ApplyConflicts
{
    /// <summary>Each (owner, path) pair, owners ordered by identity and paths in field-set order.</summary>
    public static List<(ManagerEntry Owner, string Path)> Find(List<ManagerEntry> entries, ManagerEntry? applier, HashSet<string> changed)
    {
        var conflicts = new List<(ManagerEntry, string)>();
        if (changed.Count == 0)
        {
            return conflicts;
        }
        foreach (var entry in entries.Where(e => e != applier).OrderBy(Identity, StringComparer.Ordinal))
        {
            var owned = entry.Fields.Where(changed.Contains).ToList();
            owned.Sort(FieldPathText.Compare);
            conflicts.AddRange(owned.Select(p => (entry, p)));
        }
        return conflicts;
    }

    /// <summary>
    /// 409: <c>Apply failed with 1 conflict: conflict with "m": .spec.replicas</c>, or for several
    /// <c>Apply failed with N conflicts: conflicts with "m":\n- .a\n- .b</c> grouped by manager.
    /// </summary>
    public static ApiException Error(List<(ManagerEntry Owner, string Path)> conflicts)
    {
        var causes = conflicts.Select(c => new V1StatusCause
        {
            Reason = CauseType.FieldManagerConflict,
            Message = "conflict with " + c.Owner.Describe(),
            Field = FieldPathText.Render(c.Path),
        }).ToList();
        return ApiErrors.ApplyConflict(Message(conflicts), causes);
    }

    private static string Message(List<(ManagerEntry Owner, string Path)> conflicts)
    {
        if (conflicts.Count == 1)
        {
            var (owner, path) = conflicts[0];
            return $"Apply failed with 1 conflict: conflict with {owner.Describe()}: {FieldPathText.Render(path)}";
        }
        var lines = new List<string>();
        foreach (var group in conflicts.GroupBy(c => c.Owner))
        {
            lines.Add($"conflicts with {group.Key.Describe()}:");
            lines.AddRange(group.Select(c => "- " + FieldPathText.Render(c.Path)));
        }
        return $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
    }

    /// <summary>Sort key standing in for upstream's JSON manager identifier (manager, operation, apiVersion, subresource).</summary>
    private static string Identity(ManagerEntry e) =>
        string.Join('\0', e.Manager, e.Operation, e.Operation == ManagedFields.ApplyOperation ? "" : e.ApiVersion, e.Subresource ?? "");
}
