using System.Text.Json.Nodes;

namespace Berth.Machinery.Patching;

internal static partial class FieldPaths
{
    /// <summary>
    /// The paths that <see cref="Collect"/> would report as added or given a new value (<paramref name="changed"/>) and as
    /// gone (<paramref name="removed"/>) from <paramref name="before"/> to <paramref name="after"/>, collecting only
    /// the subtrees that differ: a status write walks <c>status</c>, not the whole object.
    /// </summary>
    public static void Diff(JsonObject before, JsonObject after, PatchSchema schema, HashSet<string> changed, HashSet<string> removed)
    {
        if (before["metadata"] is not JsonObject metaBefore || after["metadata"] is not JsonObject metaAfter)
        {
            Compare(Collect(before, schema), Collect(after, schema), changed, removed);
            return;
        }
        DiffObject("", before, after, schema, TypeMetaAndMetadata, changed, removed);
        DiffObject("f:metadata", metaBefore, metaAfter, schema.Child("metadata"), StrippedMetadata, changed, removed);
    }

    /// <summary>Adds the differences of two path maps to <paramref name="changed"/> and <paramref name="removed"/>.</summary>
    public static void Compare(Dictionary<string, JsonNode?>? before, Dictionary<string, JsonNode?> after, HashSet<string> changed,
        HashSet<string> removed)
    {
        foreach (var (path, value) in after)
        {
            if (before is null || !before.TryGetValue(path, out var old) || !JsonNode.DeepEquals(old, value))
            {
                changed.Add(path);
            }
        }
        foreach (var path in before?.Keys ?? Enumerable.Empty<string>())
        {
            if (!after.ContainsKey(path))
            {
                removed.Add(path);
            }
        }
    }

    private static readonly HashSet<string> TypeMetaAndMetadata = ["apiVersion", "kind", "metadata"];

    private static readonly HashSet<string> NoNames = [];

    private static void DiffObject(string prefix, JsonObject before, JsonObject after, PatchSchema schema, HashSet<string> left,
        HashSet<string> changed, HashSet<string> removed)
    {
        foreach (var (key, value) in after)
        {
            var hadKey = before.TryGetPropertyValue(key, out var old);
            if (!IsCollected(key, left) || (hadKey && JsonNode.DeepEquals(old, value)))
            {
                continue;
            }
            var path = prefix.Length == 0 ? "f:" + key : prefix + Separator + "f:" + key;
            var field = schema.Field(key);
            if (hadKey && old is JsonObject { Count: > 0 } oldObject && value is JsonObject { Count: > 0 } newObject && field?.Strategy != PatchStrategy.Replace)
            {
                DiffObject(path, oldObject, newObject, field?.Schema ?? PatchSchema.Empty, NoNames, changed, removed);
                continue;
            }
            DiffValue(path, hadKey, old, value, field, changed, removed);
        }
        foreach (var (key, old) in before)
        {
            if (IsCollected(key, left) && !after.ContainsKey(key))
            {
                var path = prefix.Length == 0 ? "f:" + key : prefix + Separator + "f:" + key;
                DiffValue(path, true, old, null, schema.Field(key), changed, removed, isGone: true);
            }
        }
    }

    private static void DiffValue(string path, bool hadKey, JsonNode? old, JsonNode? value, PatchField? field, HashSet<string> changed,
        HashSet<string> removed, bool isGone = false)
    {
        var before = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (hadKey)
        {
            CollectValue(before, path, old, field);
        }
        var after = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (!isGone)
        {
            CollectValue(after, path, value, field);
        }
        Compare(before, after, changed, removed);
    }
}
