using System.Text.Json.Nodes;

namespace Berth.Machinery.Patching;

/// <summary>
/// The removal half of server-side apply: a field the manager applied before, omits from its new configuration, and no
/// other manager owns is removed from the object (as <c>kubectl apply --server-side</c> does on a cluster when a label,
/// annotation or data key is dropped from the manifest). Only paths made of plain fields (<c>f:</c> elements) are
/// removed; a dropped keyed or set list element (<c>k:</c>/<c>v:</c>) stays, as before. String maps emptied by a
/// removal (labels, annotations, data, …) are dropped too, as Go's <c>omitempty</c> leaves them out on a cluster.
/// Mutates only the object passed in. Mirrors the "removed fields" step of sigs.k8s.io/structured-merge-diff
/// merge.Updater.Apply (prune of fields the applier no longer owns), in simplified form.
/// </summary>
internal static class AppliedFieldRemoval
{
    private static readonly HashSet<string> OmittedWhenEmpty =
        ["labels", "annotations", "data", "binaryData", "stringData", "nodeSelector"];

    /// <summary>The fields <paramref name="own"/> (the applier's entry, null when it has none) owns and no other entry does.</summary>
    public static HashSet<string> SolelyOwned(ManagerEntry? own, List<ManagerEntry> entries)
    {
        var sole = new HashSet<string>(own?.Fields ?? [], StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry != own)
            {
                sole.ExceptWith(entry.Fields);
            }
        }
        return sole;
    }

    /// <summary>Removes from <paramref name="obj"/> every path of <paramref name="previous"/> not in <paramref name="applied"/>.</summary>
    public static void Remove(JsonObject obj, HashSet<string> previous, HashSet<string> applied)
    {
        foreach (var path in previous.Where(p => !applied.Contains(p)))
        {
            var names = path.Split(FieldPaths.Separator);
            if (names.All(n => n.StartsWith("f:", StringComparison.Ordinal)))
            {
                RemovePath(obj, [.. names.Select(n => n[2..])]);
            }
        }
    }

    private static void RemovePath(JsonObject obj, string[] names)
    {
        var parents = new List<JsonObject> { obj };
        for (var i = 0; i < names.Length - 1; i++)
        {
            if (parents[^1][names[i]] is not JsonObject child)
            {
                return;
            }
            parents.Add(child);
        }
        if (!parents[^1].Remove(names[^1]))
        {
            return;
        }
        for (var i = names.Length - 2; i >= 0 && parents[i + 1].Count == 0 && OmittedWhenEmpty.Contains(names[i]); i--)
        {
            parents[i].Remove(names[i]);
        }
    }
}
