using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Machinery.Patching;

/// <summary>
/// Renders a <see cref="FieldPaths"/> path as conflict messages show it: <c>.spec.replicas</c>,
/// <c>.spec.template.spec.containers[name="web"].image</c>, <c>.metadata.finalizers[="f1"]</c>; and orders paths as a
/// field set iterates (at each level the owned leaves first, then the subtrees; fields before keys before values).
/// Pure. Mirrors the String form and ordering of sigs.k8s.io/structured-merge-diff fieldpath.Path and fieldpath.Set.
/// </summary>
internal static class FieldPathText
{
    public static string Render(string path)
    {
        var text = new StringBuilder();
        foreach (var element in path.Split(FieldPaths.Separator))
        {
            var body = element.Length >= 2 ? element[2..] : element;
            switch (element.Length >= 2 ? element[..2] : "")
            {
                case "f:":
                    text.Append('.').Append(body);
                    break;
                case "k:":
                    text.Append('[').Append(KeyText(body)).Append(']');
                    break;
                case "v:":
                    text.Append("[=").Append(ValueText(body)).Append(']');
                    break;
                default:
                    text.Append('[').Append(element).Append(']');
                    break;
            }
        }
        return text.ToString();
    }

    /// <summary>Compares two paths in field-set iteration order.</summary>
    public static int Compare(string a, string b)
    {
        var x = a.Split(FieldPaths.Separator);
        var y = b.Split(FieldPaths.Separator);
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            if (x[i] == y[i])
            {
                continue;
            }
            var xLeaf = i == x.Length - 1;
            var yLeaf = i == y.Length - 1;
            if (xLeaf != yLeaf)
            {
                return xLeaf ? -1 : 1;
            }
            var byType = TypeRank(x[i]).CompareTo(TypeRank(y[i]));
            return byType != 0 ? byType : string.CompareOrdinal(x[i], y[i]);
        }
        return x.Length.CompareTo(y.Length);
    }

    private static int TypeRank(string element) => element.StartsWith("f:", StringComparison.Ordinal) ? 0
        : element.StartsWith("k:", StringComparison.Ordinal) ? 1 : 2;

    /// <summary><c>name="web"</c>, or <c>containerPort=80,protocol="TCP"</c> for several keys, sorted by name.</summary>
    private static string KeyText(string json)
    {
        try
        {
            if (JsonNode.Parse(json) is JsonObject key)
            {
                return string.Join(",", key.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + ValueText(p.Value)));
            }
        }
        catch (JsonException)
        {
        }
        return json;
    }

    private static string ValueText(string json)
    {
        try
        {
            return ValueText(JsonNode.Parse(json));
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static string ValueText(JsonNode? value) => value?.ToJsonString(Relaxed) ?? "null";

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
