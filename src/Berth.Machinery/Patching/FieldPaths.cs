using System.Text.Json.Nodes;

namespace Berth.Machinery.Patching;

/// <summary>
/// The field paths an object sets, in managedFields form: each path is a sequence of elements <c>f:&lt;field&gt;</c>,
/// <c>k:{"name":"web"}</c> (keyed list element, by its merge key) or <c>v:"value"</c> (set list element), joined by
/// <see cref="Separator"/>. A path maps to its value (null for a keyed element's own path). Server-populated metadata
/// (name, uid, resourceVersion, managedFields…) and apiVersion/kind are left out, as upstream strips them.
/// Pure and thread-safe. A simplified model of sigs.k8s.io/structured-merge-diff fieldpath.Set.
/// </summary>
internal static class FieldPaths
{
    public const char Separator = '\n';

    private static readonly HashSet<string> StrippedMetadata =
    [
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "selfLink", "managedFields",
    ];

    /// <summary>Every leaf path of <paramref name="obj"/> with its value, plus the own path of every keyed list element.</summary>
    public static Dictionary<string, JsonNode?> Collect(JsonObject obj, PatchSchema schema)
    {
        var paths = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind" || key.StartsWith('$'))
            {
                continue;
            }
            if (key == "metadata" && value is JsonObject meta)
            {
                var kept = new JsonObject();
                foreach (var (metaKey, metaValue) in meta.Where(m => !StrippedMetadata.Contains(m.Key)))
                {
                    kept[metaKey] = metaValue?.DeepClone();
                }
                CollectObject(paths, "f:metadata", kept, schema.Child("metadata"), skipEmpty: true);
                continue;
            }
            CollectValue(paths, "f:" + key, value, schema.Field(key));
        }
        return paths;
    }

    private static void CollectObject(Dictionary<string, JsonNode?> paths, string prefix, JsonObject obj, PatchSchema schema, bool skipEmpty = false)
    {
        if (obj.Count == 0)
        {
            if (!skipEmpty)
            {
                paths[prefix] = obj;
            }
            return;
        }
        foreach (var (key, value) in obj.Where(p => !p.Key.StartsWith('$')))
        {
            CollectValue(paths, prefix + Separator + "f:" + key, value, schema.Field(key));
        }
    }

    private static void CollectValue(Dictionary<string, JsonNode?> paths, string path, JsonNode? value, PatchField? field)
    {
        switch (value)
        {
            case JsonObject obj when field?.Strategy != PatchStrategy.Replace:
                CollectObject(paths, path, obj, field?.Schema ?? PatchSchema.Empty);
                break;
            case JsonArray list when field is { IsMergeList: true, MergeKey: { } key }:
                foreach (var element in list.OfType<JsonObject>())
                {
                    var elementPath = path + Separator + KeyElement(element, key);
                    paths[elementPath] = null;
                    CollectObject(paths, elementPath, element, field.Schema ?? PatchSchema.Empty, skipEmpty: true);
                }
                break;
            case JsonArray list when field is { IsMergeList: true }:
                foreach (var item in list)
                {
                    paths[path + Separator + "v:" + (item?.ToJsonString() ?? "null")] = item;
                }
                break;
            default:
                paths[path] = value;
                break;
        }
    }

    /// <summary><c>k:{"name":"web"}</c>: the element's merge key and value as compact JSON.</summary>
    private static string KeyElement(JsonObject element, string key) =>
        "k:" + new JsonObject { [key] = element[key]?.DeepClone() }.ToJsonString();
}
