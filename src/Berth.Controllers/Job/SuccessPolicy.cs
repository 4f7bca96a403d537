using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.Job;

/// <summary>
/// Evaluates an Indexed Job's <c>spec.successPolicy</c> against its succeeded indexes: the rules in order, the
/// first satisfied one wins. A rule with <c>succeededIndexes</c> is satisfied when all of those indexes succeeded,
/// or (with <c>succeededCount</c>) when at least that many of them did; a rule with only <c>succeededCount</c> when
/// that many indexes succeeded in all. A rule whose index list parses to nothing is skipped. Pure.
/// Mirrors kubernetes/kubernetes pkg/controller/job/success_policy.go (matchSuccessPolicy, matchSucceededIndexesRule).
/// </summary>
public static class SuccessPolicy
{
    public const string ReasonSuccessPolicy = "SuccessPolicy";

    /// <summary>The SuccessCriteriaMet message ("Matched rules at index N"), or null when no rule is satisfied.</summary>
    public static string? Match(JsonObject? policy, int completions, CompletedIndexes succeeded)
    {
        if (policy?.GetArray("rules") is not { } rules || succeeded.Count == 0)
        {
            return null;
        }
        for (var index = 0; index < rules.Count; index++)
        {
            if (rules[index] is JsonObject rule && IsSatisfied(rule, completions, succeeded))
            {
                return string.Create(CultureInfo.InvariantCulture, $"Matched rules at index {index}");
            }
        }
        return null;
    }

    private static bool IsSatisfied(JsonObject rule, int completions, CompletedIndexes succeeded)
    {
        var count = rule.GetLong("succeededCount");
        if (rule.GetString("succeededIndexes") is { } text)
        {
            var required = CompletedIndexes.Parse(text, completions);
            if (required.Count == 0)
            {
                return false;
            }
            var contained = required.CountIn(succeeded);
            return contained == required.Count || (count is { } c && contained >= c);
        }
        return count is { } total && succeeded.Count >= total;
    }
}
