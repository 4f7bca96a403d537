using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.Controllers.Job;

/// <summary>What a Job's <c>spec.podFailurePolicy</c> says about one failed pod.</summary>
/// <param name="FailJobMessage">Set when a FailJob rule matched: the Job's failure message.</param>
/// <param name="CountFailed">False only when an Ignore rule matched: the pod does not count toward backoffLimit.</param>
/// <param name="Action">The matched rule's action, or null when no rule matched.</param>
public readonly record struct PodFailurePolicyMatch(string? FailJobMessage, bool CountFailed, string? Action)
{
    public static readonly PodFailurePolicyMatch NoMatch = new(null, true, null);
}

/// <summary>
/// Evaluates <c>spec.podFailurePolicy</c> rules against a failed pod: the rules in order, the first match wins.
/// An <c>onExitCodes</c> rule looks at terminated containers with a non-zero exit code (app containers first, then
/// init containers), optionally only the named one; an <c>onPodConditions</c> rule at the pod's conditions in their
/// order against the patterns. FailIndex rules are skipped, as upstream does without per-index backoff. Pure.
/// Mirrors kubernetes/kubernetes pkg/controller/job/pod_failure_policy.go (matchPodFailurePolicy).
/// </summary>
public static class PodFailurePolicy
{
    public const string FailJob = "FailJob";
    public const string FailIndex = "FailIndex";
    public const string Ignore = "Ignore";
    public const string Count = "Count";

    /// <summary>The match for <paramref name="pod"/>; <see cref="PodFailurePolicyMatch.NoMatch"/> without a policy or matching rule.</summary>
    public static PodFailurePolicyMatch Match(JsonObject? policy, V1Pod pod)
    {
        var rules = policy?.GetArray("rules");
        if (rules is null)
        {
            return PodFailurePolicyMatch.NoMatch;
        }
        for (var index = 0; index < rules.Count; index++)
        {
            if (rules[index] is not JsonObject rule || MatchRule(rule, index, pod) is not { } match)
            {
                continue;
            }
            return match;
        }
        return PodFailurePolicyMatch.NoMatch;
    }

    private static PodFailurePolicyMatch? MatchRule(JsonObject rule, int index, V1Pod pod)
    {
        var action = rule.GetString("action");
        string? failMessage;
        if (rule["onExitCodes"] is JsonObject onExitCodes)
        {
            if (MatchExitCodes(pod.Status, onExitCodes) is not { } container)
            {
                return null;
            }
            failMessage = string.Create(CultureInfo.InvariantCulture,
                $"Container {container.Name} for pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} failed with exit code {container.State.Terminated.ExitCode} matching {action} rule at index {index}");
        }
        else if (rule["onPodConditions"] is JsonArray patterns)
        {
            if (MatchPodConditions(pod.Status, patterns) is not { } condition)
            {
                return null;
            }
            failMessage = string.Create(CultureInfo.InvariantCulture,
                $"Pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} has condition {condition.Type} matching {action} rule at index {index}");
        }
        else
        {
            return null;
        }
        return action switch
        {
            Ignore => new PodFailurePolicyMatch(null, false, Ignore),
            Count => new PodFailurePolicyMatch(null, true, Count),
            FailJob => new PodFailurePolicyMatch(failMessage, true, FailJob),
            _ => null,
        };
    }

    private static V1ContainerStatus? MatchExitCodes(V1PodStatus? status, JsonObject requirement) =>
        MatchingContainer(status?.ContainerStatuses, requirement) ?? MatchingContainer(status?.InitContainerStatuses, requirement);

    private static V1ContainerStatus? MatchingContainer(IList<V1ContainerStatus>? statuses, JsonObject requirement)
    {
        var name = requirement.GetString("containerName");
        var values = (requirement.GetArray("values") ?? []).Select(v => v is JsonValue value ? JsonObjectExtensions.AsLong(value) : null).ToHashSet();
        var notIn = requirement.GetString("operator") switch
        {
            "In" => false,
            "NotIn" => true,
            _ => (bool?)null,
        };
        if (notIn is null)
        {
            return null;
        }
        return (statuses ?? []).FirstOrDefault(s => s.State?.Terminated is { ExitCode: not 0 } terminated &&
            (name is null || name == s.Name) && values.Contains(terminated.ExitCode) != notIn);
    }

    private static V1PodCondition? MatchPodConditions(V1PodStatus? status, JsonArray patterns) =>
        (status?.Conditions ?? []).FirstOrDefault(c =>
            patterns.OfType<JsonObject>().Any(p => p.GetString("type") == c.Type && p.GetString("status") == c.Status));
}
