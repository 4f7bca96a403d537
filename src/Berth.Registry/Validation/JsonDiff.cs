using System.Text;
using System.Text.Json.Nodes;

namespace Berth.Registry.Validation;

/// <summary>
/// A short, human-readable list of the leaf fields that differ between two JSON values, one
/// <c>path: old -> new</c> line each. Used where upstream appends a Go struct diff to a message (pod updates);
/// the format is ours, since Go's cmp.Diff has no JSON equivalent.
/// </summary>
internal static class JsonDiff
{
    public static string Describe(JsonNode? oldValue, JsonNode? newValue, string path, int maxLines)
    {
        var lines = new List<string>();
        Collect(oldValue, newValue, path, lines, maxLines + 1);
        var sb = new StringBuilder();
        foreach (var line in lines.Take(maxLines))
        {
            sb.Append("  ").Append(line).Append('\n');
        }
        if (lines.Count > maxLines)
        {
            sb.Append("  ...\n");
        }
        return sb.ToString().TrimEnd('\n');
    }

    private static void Collect(JsonNode? a, JsonNode? b, string path, List<string> lines, int limit)
    {
        if (lines.Count >= limit || JsonSemantics.Equal(a, b))
        {
            return;
        }
        switch (a, b)
        {
            case (JsonObject oa, JsonObject ob):
                foreach (var key in oa.Select(p => p.Key).Union(ob.Select(p => p.Key)))
                {
                    Collect(oa[key], ob[key], FieldPath.Child(path, key), lines, limit);
                }
                break;
            case (JsonArray aa, JsonArray ab) when aa.Count == ab.Count:
                for (var i = 0; i < aa.Count; i++)
                {
                    Collect(aa[i], ab[i], FieldPath.Index(path, i), lines, limit);
                }
                break;
            default:
                lines.Add($"{path}: {GoValueRenderer.Render(a)} -> {GoValueRenderer.Render(b)}");
                break;
        }
    }
}
