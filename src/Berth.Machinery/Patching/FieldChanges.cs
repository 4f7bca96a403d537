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
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, value) in after)
        {
            if (before is null || !before.TryGetValue(path, out var old) || !JsonNode.DeepEquals(old, value))
            {
                changed.Add(path);
            }
        }
        var removed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in before?.Keys ?? Enumerable.Empty<string>())
        {
            if (!after.ContainsKey(path))
            {
                removed.Add(path);
            }
        }
        return new FieldChanges(changed, removed);
    }

    /// <summary>Takes both sets away from <paramref name="fields"/>: a changed field leaves its other owners, a removed one everyone.</summary>
    public void TakeFrom(HashSet<string> fields)
    {
        fields.ExceptWith(Changed);
        fields.ExceptWith(Removed);
    }
}
