using System.Text.Json.Nodes;

namespace Berth.Machinery.Patching;

/// <summary>
/// What a write changed, in <see cref="FieldPaths"/> paths: <see cref="Changed"/> holds the paths added or given a
/// different value, <see cref="Removed"/> the paths that are gone. Pure. Mirrors the Modified/Added and Removed sets
/// of sigs.k8s.io/structured-merge-diff typed.Comparison.
/// </summary>
internal sealed class FieldChanges
{
    private FieldChanges(HashSet<string> changed, HashSet<string> removed)
    {
        Changed = changed;
        Removed = removed;
    }

    public HashSet<string> Changed { get; }

    public HashSet<string> Removed { get; }

    public bool IsEmpty => Changed.Count == 0 && Removed.Count == 0;

    /// <summary>The changes from <paramref name="before"/> (null: nothing, a create) to <paramref name="after"/>.</summary>
    public static FieldChanges Between(Dictionary<string, JsonNode?>? before, Dictionary<string, JsonNode?> after)
    {
        var changes = Empty();
        FieldPaths.Compare(before, after, changes.Changed, changes.Removed);
        return changes;
    }

    /// <summary>The same for two objects, walking only the subtrees that differ (<see cref="FieldPaths.Diff"/>).</summary>
    public static FieldChanges Between(JsonObject? before, JsonObject after, PatchSchema schema)
    {
        if (before is null)
        {
            return Between(null, FieldPaths.Collect(after, schema));
        }
        var changes = Empty();
        FieldPaths.Diff(before, after, schema, changes.Changed, changes.Removed);
        return changes;
    }

    private static FieldChanges Empty() => new(new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));

    /// <summary>Takes both sets away from <paramref name="entry"/>: a changed field leaves its other owners, a removed one everyone.</summary>
    public void TakeFrom(ManagerEntry entry) => entry.Release(Changed, Removed);
}
