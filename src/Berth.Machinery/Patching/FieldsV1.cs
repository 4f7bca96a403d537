using System.Text.Json.Nodes;

namespace Berth.Machinery.Patching;

/// <summary>
/// Converts between a set of <see cref="FieldPaths"/> paths and the <c>fieldsV1</c> JSON of a managedFields entry:
/// nested objects keyed by path element, <c>{}</c> for an owned leaf, and <c>".": {}</c> on an owned node that also
/// has children. Pure and thread-safe. Mirrors the FieldsV1 encoding of sigs.k8s.io/structured-merge-diff.
/// </summary>
internal static class FieldsV1
{
    /// <summary>Renders <paramref name="paths"/> as fieldsV1 JSON, children sorted by element name.</summary>
    public static JsonObject Render(IEnumerable<string> paths)
    {
        var root = new Node();
        foreach (var path in paths)
        {
            var node = root;
            foreach (var element in path.Split(FieldPaths.Separator))
            {
                node = node.Children.TryGetValue(element, out var child) ? child : node.Children[element] = new Node();
            }
            node.Owned = true;
        }
        return root.ToJson(isRoot: true);
    }

    /// <summary>The paths a fieldsV1 JSON object names; the inverse of <see cref="Render"/>.</summary>
    public static HashSet<string> Parse(JsonObject? fieldsV1)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        if (fieldsV1 is not null)
        {
            Walk(fieldsV1, "", paths);
        }
        return paths;
    }

    /// <summary>True when <paramref name="fieldsV1"/> owns <paramref name="path"/>; the same answer as <see cref="Parse"/> gives.</summary>
    public static bool Contains(JsonObject? fieldsV1, string path)
    {
        var node = fieldsV1;
        var elements = path.Split(FieldPaths.Separator);
        for (var i = 0; node is not null && i < elements.Length; i++)
        {
            if (!node.TryGetPropertyValue(elements[i], out var child) || elements[i] == ".")
            {
                return false;
            }
            if (i == elements.Length - 1)
            {
                return child is not JsonObject { Count: > 0 } inner || inner.ContainsKey(".");
            }
            node = child as JsonObject;
        }
        return false;
    }

    private static void Walk(JsonObject node, string prefix, HashSet<string> paths)
    {
        foreach (var (element, child) in node)
        {
            if (element == ".")
            {
                paths.Add(prefix);
                continue;
            }
            var path = prefix.Length == 0 ? element : prefix + FieldPaths.Separator + element;
            if (child is JsonObject { Count: > 0 } inner)
            {
                Walk(inner, path, paths);
            }
            else
            {
                paths.Add(path);
            }
        }
    }

    private sealed class Node
    {
        public SortedDictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);

        public bool Owned { get; set; }

        public JsonObject ToJson(bool isRoot = false)
        {
            var json = new JsonObject();
            if (Owned && Children.Count > 0 && !isRoot)
            {
                json["."] = new JsonObject();
            }
            foreach (var (element, child) in Children)
            {
                json[element] = child.ToJson();
            }
            return json;
        }
    }
}
