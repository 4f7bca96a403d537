using System.Text;
using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables;

/// <summary>
/// String forms of label maps and label selectors as printers show them. Mirrors labels.FormatLabels,
/// metav1.LabelSelectorAsSelector(...).String() and metav1.FormatLabelSelector in kubernetes/apimachinery.
/// Pure and thread-safe.
/// </summary>
public static class LabelFormatting
{
    /// <summary>What printers show for an empty map or selector.</summary>
    public const string None = "<none>";

    /// <summary><c>k1=v1,k2=v2</c> with keys in ordinal order, or <c>&lt;none&gt;</c> for a missing or empty map.</summary>
    public static string FormatLabels(JsonObject? labels)
    {
        if (labels is null || labels.Count == 0)
        {
            return None;
        }
        var pairs = new List<string>(labels.Count);
        foreach (var (k, v) in labels)
        {
            pairs.Add(k + "=" + (v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : ""));
        }
        pairs.Sort(StringComparer.Ordinal);
        return string.Join(",", pairs);
    }

    /// <summary>
    /// The selector's string form (requirements ordered by key, values sorted), "" for a missing or empty
    /// selector; false when an expression has an unknown operator or the wrong number of values.
    /// </summary>
    public static bool TrySelectorString(JsonObject? selector, out string text)
    {
        text = "";
        if (selector is null)
        {
            return true;
        }
        var requirements = new List<(string Key, string Text)>();
        foreach (var (k, v) in selector.Obj("matchLabels") ?? [])
        {
            var value = v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : "";
            requirements.Add((k, k + "=" + value));
        }
        foreach (var expr in selector.Arr("matchExpressions").Objects())
        {
            if (!TryRequirement(expr, out var key, out var req))
            {
                return false;
            }
            requirements.Add((key, req));
        }
        text = string.Join(",", requirements.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Text));
        return true;
    }

    /// <summary>The selector's string form; <c>&lt;none&gt;</c> when it selects by nothing, <c>&lt;error&gt;</c> when invalid.</summary>
    public static string FormatLabelSelector(JsonObject? selector)
    {
        if (!TrySelectorString(selector, out var text))
        {
            return "<error>";
        }
        return text.Length == 0 ? None : text;
    }

    private static bool TryRequirement(JsonObject expr, out string key, out string text)
    {
        key = expr.StrOrEmpty("key");
        text = "";
        var values = new List<string>();
        foreach (var v in expr.Arr("values") ?? [])
        {
            values.Add(v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : "");
        }
        values.Sort(StringComparer.Ordinal);
        var op = expr.Str("operator");
        var withValues = op is "In" or "NotIn";
        if ((withValues && values.Count == 0) || (op is "Exists" or "DoesNotExist" && values.Count != 0) ||
            op is not ("In" or "NotIn" or "Exists" or "DoesNotExist"))
        {
            return false;
        }
        var sb = new StringBuilder();
        sb.Append(op == "DoesNotExist" ? "!" : "").Append(key);
        if (withValues)
        {
            sb.Append(op == "In" ? " in (" : " notin (").AppendJoin(',', values).Append(')');
        }
        text = sb.ToString();
        return true;
    }
}
