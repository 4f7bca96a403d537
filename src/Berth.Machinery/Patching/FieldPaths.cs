using System.Text.Json.Nodes;

namespace Berth.Machinery.Patching;

/// <summary>
/// The field paths an object sets, in managedFields form: each path is a sequence of elements <c>f:&lt;field&gt;</c>,
/// <c>k:{"name":"web"}</c> (keyed list element, by its merge key) or <c>v:"value"</c> (set list element), joined by
/// <see cref="Separator"/>. A path maps to its value (null for a keyed element's own path). Server-populated metadata
/// (name, uid, resourceVersion, managedFields…) and apiVersion/kind are left out, as upstream strips them.
/// Pure and thread-safe. A simplified model of sigs.k8s.io/structured-merge-diff fieldpath.Set.
/// </summary>
internal static partial class FieldPaths
{
    public const char Separator = '\n';

    private static readonly HashSet<string> StrippedMetadata =
    [
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "selfLink", "managedFields",
    ];

    private static readonly HashSet<string> TypeMeta = ["apiVersion", "kind"];

    /// <summary>False for directives (<c>$patch</c>…) and for the names in <paramref name="left"/>.</summary>
    private static bool IsCollected(string key, HashSet<string> left) => !key.StartsWith('$') && !left.Contains(key);

    /// <summary>Every leaf path of <paramref name="obj"/> with its value, plus the own path of every keyed list element.</summary>
    public static Dictionary<string, JsonNode?> Collect(JsonObject obj, PatchSchema schema)
    {
        var paths = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (!IsCollected(key, TypeMeta))
            {
                continue;
            }
            if (key == "metadata" && value is JsonObject meta)
            {
                var metaSchema = schema.Child("metadata");
                foreach (var (metaKey, metaValue) in meta)
                {
                    if (IsCollected(metaKey, StrippedMetadata))
                    {
                        CollectValue(paths, "f:metadata" + Separator + "f:" + metaKey, metaValue, metaSchema.Field(metaKey));
                    }
                }
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
