using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Serialization;
using Berth.Registry.Validation;

namespace Berth.Registry.Batch.Jobs;

/// <summary>
/// A Job spec's <c>successPolicy</c>: Indexed Jobs only; 1–20 rules, each with <c>succeededIndexes</c> (ascending
/// intervals below completions, at most 64 KiB) and/or <c>succeededCount</c> (non-negative, at most completions and
/// at most the number of listed indexes). Mirrors kubernetes/kubernetes pkg/apis/batch/validation/validation.go
/// (validateSuccessPolicy, validateSuccessPolicyRule, validateIndexesFormat).
/// </summary>
internal static class SuccessPolicyValidation
{
    private const int MaxRules = 20;
    private const int MaxSucceededIndexesLength = 64 * 1024;

    public static void Validate(JsonObject spec, string path, List<FieldError> errs)
    {
        if (spec["successPolicy"] is not JsonObject policy)
        {
            return;
        }
        var policyPath = FieldPath.Child(path, "successPolicy");
        if (JsonFields.AsString(spec["completionMode"]) != "Indexed")
        {
            errs.Add(new FieldError(CauseType.FieldValueInvalid, policyPath, "requires indexed completion mode", policy.ToJsonString()));
            return;
        }
        var rulesPath = FieldPath.Child(policyPath, "rules");
        var rules = policy.GetArray("rules") ?? [];
        if (rules.Count == 0)
        {
            errs.Add(FieldError.Required(rulesPath, "at least one rules must be specified when the successPolicy is specified"));
        }
        if (rules.Count > MaxRules)
        {
            errs.Add(new FieldError("FieldValueTooMany", rulesPath, $"must have at most {MaxRules} items", rules.Count.ToString(CultureInfo.InvariantCulture)));
        }
        var completions = JsonFields.AsLong(spec["completions"]) ?? 0;
        for (var i = 0; i < rules.Count; i++)
        {
            ValidateRule(rules[i] as JsonObject ?? [], FieldPath.Index(rulesPath, i), completions, errs);
        }
    }

    private static void ValidateRule(JsonObject rule, string path, long completions, List<FieldError> errs)
    {
        var indexes = rule.GetString("succeededIndexes");
        var count = rule.GetLong("succeededCount");
        if (indexes is null && count is null)
        {
            errs.Add(FieldError.Required(path, "at least one of succeededCount or succeededIndexes must be specified"));
        }
        long total = 0;
        if (indexes is not null)
        {
            var indexesPath = FieldPath.Child(path, "succeededIndexes");
            if (indexes.Length > MaxSucceededIndexesLength)
            {
                errs.Add(FieldError.TooLong(indexesPath, MaxSucceededIndexesLength));
            }
            if (IndexesFormatError(indexes, completions, out total) is { } error)
            {
                errs.Add(FieldError.Invalid(indexesPath, indexes, "error parsing succeededIndexes: " + error));
            }
        }
        if (count is { } c)
        {
            var countPath = FieldPath.Child(path, "succeededCount");
            if (c < 0)
            {
                errs.Add(FieldError.Invalid(countPath, c, ValidationMessages.IsNegativeError));
            }
            if (c > completions)
            {
                errs.Add(FieldError.Invalid(countPath, c, $"must be less than or equal to {completions} (the number of specified completions)"));
            }
            if (indexes is not null && c > total)
            {
                errs.Add(FieldError.Invalid(countPath, c, $"must be less than or equal to {total} (the number of indexes in the specified succeededIndexes field)"));
            }
        }
    }

    /// <summary>Null when <paramref name="text"/> is ascending intervals below <paramref name="completions"/>; <paramref name="total"/> counts the indexes.</summary>
    private static string? IndexesFormatError(string text, long completions, out long total)
    {
        total = 0;
        if (text.Length == 0)
        {
            return null;
        }
        long? last = null;
        foreach (var interval in text.Split(','))
        {
            if (IntervalError(interval, completions, out var x, out var y) is { } error)
            {
                total = 0;
                return error;
            }
            if (last is { } previous && previous >= x)
            {
                total = 0;
                return $"non-increasing order, previous: {previous}, current: {x}";
            }
            total += y - x + 1;
            last = y;
        }
        return null;
    }

    private static string? IntervalError(string interval, long completions, out long x, out long y)
    {
        x = y = 0;
        var limits = interval.Split('-');
        if (limits.Length > 2)
        {
            return $"the fragment {GoValueRenderer.Quote(interval)} violates the requirement that an index interval can have at most two parts separated by '-'";
        }
        if (Bound(limits[0], completions, out x) is { } first)
        {
            return first;
        }
        if (limits.Length == 1)
        {
            y = x;
            return null;
        }
        if (Bound(limits[1], completions, out y) is { } second)
        {
            return second;
        }
        return x >= y ? $"non-increasing order, previous: {x}, current: {y}" : null;
    }

    private static string? Bound(string text, long completions, out long value)
    {
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return "cannot convert string to integer for index: " + GoValueRenderer.Quote(text);
        }
        return value >= completions ? "too large index: " + GoValueRenderer.Quote(text) : null;
    }
}
