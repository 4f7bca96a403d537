using System.Text;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;

namespace Berth.Registry.Validation;

/// <summary>
/// <c>metav1.LabelSelector</c> in storage form: syntax validation, matching against a label set, and Go-style
/// rendering for error messages. Mirrors k8s.io/apimachinery/pkg/apis/meta/v1/validation (ValidateLabelSelector)
/// and pkg/apis/meta/v1/helpers.go (LabelSelectorAsSelector).
/// </summary>
internal static class LabelSelectors
{
    public static void Validate(JsonObject? selector, string path, List<FieldError> errs)
    {
        if (selector is null)
        {
            return;
        }
        LabelValidation.ValidateLabels(selector["matchLabels"] as JsonObject, FieldPath.Child(path, "matchLabels"), errs);
        foreach (var (i, expr) in JsonFields.Objects(selector["matchExpressions"] as JsonArray))
        {
            var idx = FieldPath.Index(FieldPath.Child(path, "matchExpressions"), i);
            var values = Values(expr);
            var op = JsonFields.AsString(expr["operator"]) ?? "";
            switch (op)
            {
                case "In" or "NotIn" when values.Count == 0:
                    errs.Add(FieldError.Required(FieldPath.Child(idx, "values"), "must be specified when `operator` is 'In' or 'NotIn'"));
                    break;
                case "Exists" or "DoesNotExist" when values.Count > 0:
                    errs.Add(FieldError.Forbidden(FieldPath.Child(idx, "values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                    break;
                case "In" or "NotIn" or "Exists" or "DoesNotExist":
                    break;
                default:
                    errs.Add(FieldError.Invalid(FieldPath.Child(idx, "operator"), op, "not a valid selector operator"));
                    break;
            }
            LabelValidation.ValidateLabelName(JsonFields.AsString(expr["key"]) ?? "", FieldPath.Child(idx, "key"), errs);
            for (var v = 0; v < values.Count; v++)
            {
                foreach (var msg in QualifiedNameValidation.IsValidLabelValue(values[v]))
                {
                    errs.Add(FieldError.Invalid(FieldPath.Index(FieldPath.Child(idx, "values"), v), values[v], msg));
                }
            }
        }
    }

    /// <summary>True when the selector has neither matchLabels nor matchExpressions (it then selects everything).</summary>
    public static bool IsEmpty(JsonObject? selector) =>
        selector is null || (selector["matchLabels"] is not JsonObject { Count: > 0 } && selector["matchExpressions"] is not JsonArray { Count: > 0 });

    public static bool Matches(JsonObject? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null)
        {
            return false;
        }
        foreach (var (key, node) in selector["matchLabels"] as JsonObject ?? [])
        {
            if (!labels.TryGetValue(key, out var v) || v != (JsonFields.AsString(node) ?? ""))
            {
                return false;
            }
        }
        foreach (var (_, expr) in JsonFields.Objects(selector["matchExpressions"] as JsonArray))
        {
            var key = JsonFields.AsString(expr["key"]) ?? "";
            var has = labels.TryGetValue(key, out var value);
            var ok = JsonFields.AsString(expr["operator"]) switch
            {
                "In" => has && Values(expr).Contains(value!),
                "NotIn" => !has || !Values(expr).Contains(value!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>As Go's %#v prints a LabelSelector: <c>v1.LabelSelector{MatchLabels:map[string]string{"app":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}</c>.</summary>
    public static string RenderGo(JsonObject? selector)
    {
        if (selector is null)
        {
            return "null";
        }
        var sb = new StringBuilder("v1.LabelSelector{MatchLabels:");
        sb.Append(selector["matchLabels"] is JsonObject ml
            ? GoValueRenderer.StringMap(ml.ToDictionary(p => p.Key, p => JsonFields.AsString(p.Value) ?? ""))
            : "map[string]string(nil)");
        sb.Append(", MatchExpressions:");
        var exprs = JsonFields.Objects(selector["matchExpressions"] as JsonArray).Select(e =>
            $"v1.LabelSelectorRequirement{{Key:{GoValueRenderer.Quote(JsonFields.AsString(e.Item["key"]) ?? "")}, " +
            $"Operator:{GoValueRenderer.Quote(JsonFields.AsString(e.Item["operator"]) ?? "")}, Values:{GoValueRenderer.StringSlice(Values(e.Item))}}}").ToList();
        sb.Append(exprs.Count == 0 ? "[]v1.LabelSelectorRequirement(nil)" : "[]v1.LabelSelectorRequirement{" + string.Join(", ", exprs) + "}");
        return sb.Append('}').ToString();
    }

    private static List<string> Values(JsonObject expr) =>
        (expr["values"] as JsonArray ?? []).Select(v => JsonFields.AsString(v) ?? "").ToList();
}
