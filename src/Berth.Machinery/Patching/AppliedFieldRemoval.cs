using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Machinery.Patching;

/// <summary>
/// The removal half of server-side apply: a field or list element the manager applied before, omits from its new
/// configuration, and no other manager owns is removed from the object (as <c>kubectl apply --server-side</c> does on a
/// cluster when a label, data key, container or env entry is dropped from the manifest). A keyed (<c>k:</c>) or set
/// (<c>v:</c>) list element stays while another manager owns anything inside it. String maps and lists emptied by a
/// removal are dropped, as Go's <c>omitempty</c> leaves them out on a cluster. Mutates only the object passed in.
/// Mirrors the prune step of sigs.k8s.io/structured-merge-diff merge.Updater.Apply (remove the applier's previous
/// fields, add back those others own), in simplified form.
/// </summary>
internal static class AppliedFieldRemoval
{
    private static readonly HashSet<string> OmittedWhenEmpty =
        ["labels", "annotations", "data", "binaryData", "stringData", "nodeSelector"];

    /// <summary>
    /// Removes from <paramref name="obj"/> every path <paramref name="own"/> (the applier's previous entry, null when it
    /// had none) owned that is not in <paramref name="applied"/> and that no other entry owns.
    /// </summary>
    public static void Remove(JsonObject obj, ManagerEntry? own, List<ManagerEntry> entries, HashSet<string> applied)
    {
        if (own is null)
        {
            return;
        }
        var others = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries.Where(e => e != own))
        {
            others.UnionWith(entry.Fields);
        }
        foreach (var path in own.Fields.Where(p => !applied.Contains(p) && !others.Contains(p) && !IsKeyField(p)))
        {
            if (!IsElement(path) || !others.Any(o => o.StartsWith(path + FieldPaths.Separator, StringComparison.Ordinal)))
            {
                RemovePath(obj, path.Split(FieldPaths.Separator));
            }
        }
    }

    /// <summary>A keyed element's own key field (<c>k:{"name":"web"}</c> then <c>f:name</c>): it goes only with its element.</summary>
    private static bool IsKeyField(string path)
    {
        var last = path.LastIndexOf(FieldPaths.Separator);
        var parent = path.LastIndexOf(FieldPaths.Separator, Math.Max(last - 1, 0));
        if (last < 0 || string.CompareOrdinal(path, parent + 1, "k:", 0, 2) != 0 || string.CompareOrdinal(path, last + 1, "f:", 0, 2) != 0)
        {
            return false;
        }
        var key = path[(parent + 3)..last];
        var field = path[(last + 3)..];
        return key.Contains("\"" + field + "\":", StringComparison.Ordinal);
    }

    private static bool IsElement(string path)
    {
        var last = path.LastIndexOf(FieldPaths.Separator) + 1;
        return string.CompareOrdinal(path, last, "k:", 0, 2) == 0 || string.CompareOrdinal(path, last, "v:", 0, 2) == 0;
    }

    /// <summary>Walks the path (fields by name, keyed elements by their key, set elements by value) and removes its end.</summary>
    private static void RemovePath(JsonObject obj, string[] elements)
    {
        var nodes = new List<JsonNode> { obj };
        for (var i = 0; i < elements.Length; i++)
        {
            if (Step(nodes[^1], elements[i]) is not { } next)
            {
                return;
            }
            nodes.Add(next);
        }
        for (var i = elements.Length - 1; i >= 0; i--)
        {
            Detach(nodes[i], nodes[i + 1], elements[i]);
            var emptied = nodes[i] is JsonObject { Count: 0 } or JsonArray { Count: 0 };
            var omitted = i > 0 && IsField(elements[i - 1], out var name) && (nodes[i] is JsonArray || OmittedWhenEmpty.Contains(name));
            if (!emptied || !omitted)
            {
                return;
            }
        }
    }

    private static JsonNode? Step(JsonNode node, string element)
    {
        if (IsField(element, out var name))
        {
            return (node as JsonObject)?[name];
        }
        if (node is not JsonArray list || Parse(element[2..]) is not { } wanted)
        {
            return null;
        }
        return element.StartsWith("k:", StringComparison.Ordinal)
            ? list.FirstOrDefault(item => item is JsonObject o && wanted is JsonObject key && key.All(k => JsonNode.DeepEquals(o[k.Key], k.Value)))
            : list.FirstOrDefault(item => JsonNode.DeepEquals(item, wanted));
    }

    private static void Detach(JsonNode parent, JsonNode child, string element)
    {
        if (IsField(element, out var name))
        {
            ((JsonObject)parent).Remove(name);
        }
        else
        {
            ((JsonArray)parent).Remove(child);
        }
    }

    private static bool IsField(string element, out string name)
    {
        var isField = element.StartsWith("f:", StringComparison.Ordinal);
        name = isField ? element[2..] : "";
        return isField;
    }

    private static JsonNode? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
