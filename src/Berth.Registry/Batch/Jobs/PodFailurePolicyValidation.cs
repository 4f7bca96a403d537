using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Serialization;
using Berth.Registry.Validation;

namespace Berth.Registry.Batch.Jobs;

/// <summary>
/// A Job spec's <c>podFailurePolicy</c> (at most 20 rules; each an action plus exactly one of <c>onExitCodes</c> —
/// In/NotIn, 1–255 unique ascending values, no 0 for In, a container name of the template — and
/// <c>onPodConditions</c> — at most 20 patterns of a qualified type and True/False/Unknown), and
/// <c>podReplacementPolicy</c> (only Failed with a pod failure policy). Mirrors kubernetes/kubernetes
/// pkg/apis/batch/validation/validation.go (validatePodFailurePolicy, validatePodReplacementPolicy).
/// </summary>
internal static class PodFailurePolicyValidation
{
    private const string TooMany = "FieldValueTooMany";
    private const int MaxRules = 20;
    private const int MaxExitCodeValues = 255;
    private const int MaxPatterns = 20;
    private static readonly string[] Actions = ["Count", "FailIndex", "FailJob", "Ignore"];
    private static readonly string[] Operators = ["In", "NotIn"];
    private static readonly string[] Statuses = ["False", "True", "Unknown"];
    private static readonly string[] ReplacementPolicies = ["Failed", "TerminatingOrFailed"];

    public static void Validate(JsonObject spec, string path, List<FieldError> errs)
    {
        if (spec["podFailurePolicy"] is JsonObject policy)
        {
            ValidatePolicy(spec, policy, FieldPath.Child(path, "podFailurePolicy"), errs);
        }
        if (JsonFields.AsString(spec["podReplacementPolicy"]) is { } replacement)
        {
            var supported = spec["podFailurePolicy"] is JsonObject ? ["Failed"] : ReplacementPolicies;
            if (!supported.Contains(replacement))
            {
                errs.Add(FieldError.NotSupported(FieldPath.Child(path, "podReplacementPolicy"), replacement, supported));
            }
        }
    }

    private static void ValidatePolicy(JsonObject spec, JsonObject policy, string path, List<FieldError> errs)
    {
        var rulesPath = FieldPath.Child(path, "rules");
        var rules = policy.GetArray("rules") ?? [];
        if (rules.Count > MaxRules)
        {
            errs.Add(TooManyItems(rulesPath, rules.Count, MaxRules));
        }
        var containers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var list in (string[])["containers", "initContainers"])
        {
            foreach (var c in spec.GetArray("template", "spec", list)?.OfType<JsonObject>() ?? [])
            {
                containers.Add(c.GetString("name") ?? "");
            }
        }
        for (var i = 0; i < rules.Count; i++)
        {
            ValidateRule(spec, rules[i] as JsonObject ?? [], FieldPath.Index(rulesPath, i), containers, errs);
        }
    }

    private static void ValidateRule(JsonObject spec, JsonObject rule, string path, HashSet<string> containers, List<FieldError> errs)
    {
        var actionPath = FieldPath.Child(path, "action");
        var action = rule.GetString("action") ?? "";
        if (action.Length == 0)
        {
            errs.Add(FieldError.Required(actionPath, ValidValues(Actions)));
        }
        else if (action == "FailIndex")
        {
            if (spec["backoffLimitPerIndex"] is null)
            {
                errs.Add(FieldError.Invalid(actionPath, action, "requires the backoffLimitPerIndex to be set"));
            }
        }
        else if (!Actions.Contains(action))
        {
            errs.Add(FieldError.NotSupported(actionPath, action, Actions));
        }
        var onExitCodes = rule["onExitCodes"] as JsonObject;
        var patterns = rule.GetArray("onPodConditions") is { Count: > 0 } p ? p : null;
        if (onExitCodes is not null)
        {
            ValidateExitCodes(onExitCodes, FieldPath.Child(path, "onExitCodes"), containers, errs);
        }
        if (patterns is not null)
        {
            ValidatePatterns(patterns, FieldPath.Child(path, "onPodConditions"), errs);
        }
        if (onExitCodes is not null && patterns is not null)
        {
            errs.Add(new FieldError(CauseType.FieldValueInvalid, path, "specifying both OnExitCodes and OnPodConditions is not supported"));
        }
        if (onExitCodes is null && patterns is null)
        {
            errs.Add(new FieldError(CauseType.FieldValueInvalid, path, "specifying one of OnExitCodes and OnPodConditions is required"));
        }
    }

    private static void ValidatePatterns(JsonArray patterns, string path, List<FieldError> errs)
    {
        if (patterns.Count > MaxPatterns)
        {
            errs.Add(TooManyItems(path, patterns.Count, MaxPatterns));
        }
        for (var j = 0; j < patterns.Count; j++)
        {
            var pattern = patterns[j] as JsonObject ?? [];
            var patternPath = FieldPath.Index(path, j);
            var type = pattern.GetString("type") ?? "";
            if (type.Length == 0)
            {
                errs.Add(FieldError.Required(FieldPath.Child(patternPath, "type")));
            }
            foreach (var msg in type.Length == 0 ? [] : QualifiedNameValidation.IsQualifiedName(type))
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(patternPath, "type"), type, msg));
            }
            var status = pattern.GetString("status") ?? "";
            if (status.Length == 0)
            {
                errs.Add(FieldError.Required(FieldPath.Child(patternPath, "status"), ValidValues(Statuses)));
            }
            else if (!Statuses.Contains(status))
            {
                errs.Add(FieldError.NotSupported(FieldPath.Child(patternPath, "status"), status, Statuses));
            }
        }
    }

    private static void ValidateExitCodes(JsonObject onExitCodes, string path, HashSet<string> containers, List<FieldError> errs)
    {
        var op = onExitCodes.GetString("operator") ?? "";
        if (op.Length == 0)
        {
            errs.Add(FieldError.Required(FieldPath.Child(path, "operator"), ValidValues(Operators)));
        }
        else if (!Operators.Contains(op))
        {
            errs.Add(FieldError.NotSupported(FieldPath.Child(path, "operator"), op, Operators));
        }
        if (onExitCodes.GetString("containerName") is { } name && !containers.Contains(name))
        {
            errs.Add(FieldError.Invalid(FieldPath.Child(path, "containerName"), name, "must be one of the container or initContainer names in the pod template"));
        }
        ValidateValues(onExitCodes, FieldPath.Child(path, "values"), op, errs);
    }

    private static void ValidateValues(JsonObject onExitCodes, string path, string op, List<FieldError> errs)
    {
        var values = (onExitCodes.GetArray("values") ?? []).Select(v => v is JsonValue value ? JsonObjectExtensions.AsLong(value) ?? 0 : 0).ToList();
        if (values.Count == 0)
        {
            errs.Add(new FieldError(CauseType.FieldValueInvalid, path, "at least one value is required", onExitCodes["values"] is null ? "null" : "[]"));
        }
        else if (values.Count > MaxExitCodeValues)
        {
            errs.Add(TooManyItems(path, values.Count, MaxExitCodeValues));
        }
        var seen = new HashSet<long>();
        for (var j = 0; j < values.Count; j++)
        {
            if (op == "In" && values[j] == 0)
            {
                errs.Add(FieldError.Invalid(FieldPath.Index(path, j), 0L, "must not be 0 for the In operator"));
            }
            if (!seen.Add(values[j]))
            {
                errs.Add(FieldError.Duplicate(FieldPath.Index(path, j), values[j]));
            }
        }
        if (values.Zip(values.Skip(1)).Any(pair => pair.First > pair.Second))
        {
            errs.Add(new FieldError(CauseType.FieldValueInvalid, path, "must be ordered",
                "[" + string.Join(",", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]"));
        }
    }

    private static FieldError TooManyItems(string path, int actual, int max) =>
        new(TooMany, path, $"must have at most {max} items", actual.ToString(CultureInfo.InvariantCulture));

    private static string ValidValues(string[] values) => "valid values: [" + string.Join(" ", values.Select(v => "\"" + v + "\"")) + "]";
}
