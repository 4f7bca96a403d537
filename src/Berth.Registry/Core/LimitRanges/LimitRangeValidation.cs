using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.LimitRanges;

/// <summary>
/// LimitRangeSpec validation with upstream's paths and messages: qualified type and resource names, no duplicate
/// types, no default/defaultRequest on Pod items, a storage bound on PersistentVolumeClaim items, valid quantities, and
/// the order min ≤ defaultRequest ≤ default ≤ max with maxLimitRequestRatio ≥ 1 and ≤ max/min. Bad values render as
/// the quantity string (upstream prints Go's struct dump of resource.Quantity). Pure. Mirrors kubernetes/kubernetes
/// pkg/apis/core/validation/validation.go (ValidateLimitRange).
/// </summary>
internal static class LimitRangeValidation
{
    public const string Container = "Container";
    public const string Pod = "Pod";
    public const string PersistentVolumeClaim = "PersistentVolumeClaim";

    private static readonly string[] Lists = ["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"];

    public static void Validate(JsonObject spec, List<FieldError> errs)
    {
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (i, item) in JsonFields.Objects(spec["limits"] as JsonArray))
        {
            var path = FieldPath.Index("spec.limits", i);
            var type = JsonFields.AsString(item["type"]) ?? "";
            foreach (var msg in QualifiedNameValidation.IsQualifiedName(type))
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(path, "type"), type, msg));
            }
            if (!types.Add(type))
            {
                errs.Add(FieldError.Duplicate(FieldPath.Child(path, "type"), type));
            }
            ValidateItem(item, type, path, errs);
        }
    }

    private static void ValidateItem(JsonObject item, string type, string path, List<FieldError> errs)
    {
        var values = new Dictionary<string, Dictionary<string, (decimal Value, JsonNode? Node)>>(StringComparer.Ordinal);
        foreach (var list in Lists)
        {
            var parsed = new Dictionary<string, (decimal, JsonNode?)>(StringComparer.Ordinal);
            values[list] = parsed;
            if (type == Pod && list is "default" or "defaultRequest")
            {
                if (item[list] is JsonObject { Count: > 0 })
                {
                    errs.Add(FieldError.Forbidden(FieldPath.Child(path, list), "may not be specified when `type` is 'Pod'"));
                }
                continue;
            }
            foreach (var (name, node) in item[list] as JsonObject ?? [])
            {
                var key = FieldPath.Key(FieldPath.Child(path, list), name);
                foreach (var msg in QualifiedNameValidation.IsQualifiedName(name))
                {
                    errs.Add(FieldError.Invalid(key, name, msg));
                }
                if (QuantityValidation.TryParse(node) is { } value)
                {
                    parsed[name] = (value, node);
                }
                else
                {
                    QuantityValidation.ValidateNonNegative(node, key, errs);
                }
            }
        }
        if (type == PersistentVolumeClaim && !values["min"].ContainsKey("storage") && !values["max"].ContainsKey("storage"))
        {
            errs.Add(FieldError.Required(FieldPath.Child(path, "limits"), "either minimum or maximum storage value is required, but neither was provided"));
        }
        var keys = values.Values.SelectMany(v => v.Keys).Distinct().Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            CheckOrder(values, key, path, errs);
        }
    }

    /// <summary>The pairwise checks of one resource, in upstream's order.</summary>
    private static void CheckOrder(Dictionary<string, Dictionary<string, (decimal Value, JsonNode? Node)>> v, string key, string path, List<FieldError> errs)
    {
        var min = Find(v["min"], key);
        var max = Find(v["max"], key);
        var def = Find(v["default"], key);
        var req = Find(v["defaultRequest"], key);
        var ratio = Find(v["maxLimitRequestRatio"], key);
        void Add(string list, JsonNode? bad, string msg) =>
            errs.Add(new FieldError(CauseType.FieldValueInvalid, FieldPath.Key(FieldPath.Child(path, list), key), msg, QuantityValidation.Canonical(bad)));
        if (min is { } a && max is { } b && a.Value > b.Value)
        {
            Add("min", a.Node, $"min value {S(a)} is greater than max value {S(b)}");
        }
        if (req is { } r && min is { } mn && mn.Value > r.Value)
        {
            Add("defaultRequest", r.Node, $"min value {S(mn)} is greater than default request value {S(r)}");
        }
        if (req is { } r2 && max is { } mx && r2.Value > mx.Value)
        {
            Add("defaultRequest", r2.Node, $"default request value {S(r2)} is greater than max value {S(mx)}");
        }
        if (req is { } r3 && def is { } d && r3.Value > d.Value)
        {
            Add("defaultRequest", r3.Node, $"default request value {S(r3)} is greater than default limit value {S(d)}");
        }
        if (def is { } d2 && min is { } mn2 && mn2.Value > d2.Value)
        {
            Add("default", mn2.Node, $"min value {S(mn2)} is greater than default value {S(d2)}");
        }
        if (def is { } d3 && max is { } mx2 && d3.Value > mx2.Value)
        {
            Add("default", mx2.Node, $"default value {S(d3)} is greater than max value {S(mx2)}");
        }
        if (ratio is { } q && q.Value < 1)
        {
            Add("maxLimitRequestRatio", q.Node, $"ratio {S(q)} is less than 1");
        }
        if (ratio is { } q2 && min is { Value: > 0 } mn3 && max is { } mx3 && q2.Value > mx3.Value / mn3.Value)
        {
            var limit = ((double)(mx3.Value / mn3.Value)).ToString("F6", CultureInfo.InvariantCulture);
            Add("maxLimitRequestRatio", q2.Node, $"ratio {S(q2)} is greater than max/min = {limit}");
        }
    }

    private static (decimal Value, JsonNode? Node)? Find(Dictionary<string, (decimal Value, JsonNode? Node)> list, string key) =>
        list.TryGetValue(key, out var found) ? found : null;

    private static string S((decimal Value, JsonNode? Node) q) => QuantityValidation.Canonical(q.Node);
}
