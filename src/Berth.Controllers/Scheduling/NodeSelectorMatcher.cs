using System.Globalization;
using k8s.Models;

namespace Berth.Controllers.Scheduling;

/// <summary>
/// Matches nodes against a pod's <c>nodeSelector</c> and required node affinity: terms are ORed, the expressions and
/// fields of one term ANDed, and a term with neither matches nothing. Operators In, NotIn (also true when the label
/// is absent), Exists, DoesNotExist, Gt and Lt (integer comparison with the single value); matchFields supports
/// <c>metadata.name</c>. Pure.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go (GetRequiredNodeAffinity, Match).</remarks>
internal static class NodeSelectorMatcher
{
    public static bool Matches(V1Pod pod, V1Node node)
    {
        var labels = node.Metadata?.Labels ?? new Dictionary<string, string>();
        foreach (var (key, value) in pod.Spec?.NodeSelector ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }
        var required = pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution;
        return required is null || required.NodeSelectorTerms.Any(term => TermMatches(term, labels, node.Metadata?.Name ?? ""));
    }

    /// <summary>True when some term of <paramref name="selector"/> matches the node (a PersistentVolume's node affinity).</summary>
    public static bool MatchesSelector(V1NodeSelector selector, V1Node node) =>
        selector.NodeSelectorTerms.Any(term => TermMatches(term, node.Metadata?.Labels ?? new Dictionary<string, string>(), node.Metadata?.Name ?? ""));

    private static bool TermMatches(V1NodeSelectorTerm term, IDictionary<string, string> labels, string nodeName)
    {
        var expressions = term.MatchExpressions ?? [];
        var fields = term.MatchFields ?? [];
        if (expressions.Count == 0 && fields.Count == 0)
        {
            return false;
        }
        return expressions.All(r => RequirementMatches(r, labels.TryGetValue(r.Key, out var v) ? v : null))
            && fields.All(r => r.Key == "metadata.name" && RequirementMatches(r, nodeName));
    }

    private static bool RequirementMatches(V1NodeSelectorRequirement requirement, string? value)
    {
        var values = requirement.Values ?? [];
        return requirement.OperatorProperty switch
        {
            "In" => value is not null && values.Contains(value),
            "NotIn" => value is null || !values.Contains(value),
            "Exists" => value is not null,
            "DoesNotExist" => value is null,
            "Gt" => Compare(value, values) > 0,
            "Lt" => Compare(value, values) < 0,
            _ => false,
        };
    }

    /// <summary>Sign of label value minus the single requirement value; 0 (no match for Gt and Lt) when either is not an integer.</summary>
    private static int Compare(string? value, IList<string> values) =>
        values.Count == 1
        && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var actual)
        && long.TryParse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bound)
            ? actual.CompareTo(bound)
            : 0;
}
