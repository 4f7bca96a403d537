using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Serialization;
using Berth.Registry.Generic;
using Berth.Registry.Policy;
using k8s.Models;

namespace Berth.Registry.Core.Pods.Eviction;

/// <summary>
/// The decisions of the eviction subresource, as pure functions over objects in storage form: which pods skip the
/// budget, which deletes must be pinned to the pod's resourceVersion, whether an unready pod may go without spending
/// a disruption, and the check-and-decrement of a budget's status. Thread-safe.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/registry/core/pod/storage/eviction.go (canIgnorePDB, shouldEnforceResourceVersion,
/// checkAndDecrement, createTooManyRequestsError, getPodDisruptionBudgets).
/// </remarks>
internal static class EvictionRules
{
    /// <summary>Upstream MaxDisruptedPodSize: a budget with more unconfirmed evictions refuses new ones.</summary>
    public const int MaxDisruptedPodSize = 2000;

    public const string DisruptionBudgetCause = "DisruptionBudget";

    public const string ViolationMessage = "Cannot evict pod as it would violate the pod's disruption budget.";

    public const string MultipleBudgetsMessage = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.";

    /// <summary>
    /// A finished (Succeeded/Failed), pending or terminating pod is deleted without asking its budget: it disrupts
    /// nothing that has not been disrupted already.
    /// </summary>
    public static bool CanIgnorePdb(JsonObject pod) =>
        Phase(pod) is "Succeeded" or "Failed" or "Pending" || IsTerminating(pod);

    /// <summary>
    /// Pins the delete to the resourceVersion read (so a pod that turned ready meanwhile is not deleted behind its
    /// budget's back) for every pod except finished and terminating ones.
    /// </summary>
    public static bool ShouldEnforceResourceVersion(JsonObject pod) =>
        Phase(pod) is not ("Succeeded" or "Failed") && !IsTerminating(pod);

    /// <summary>
    /// True when an unready pod may be deleted without spending a disruption: the budget's policy is AlwaysAllow, or
    /// (IfHealthyBudget, the default) the application is healthy enough already (currentHealthy ≥ desiredHealthy &gt; 0).
    /// </summary>
    public static bool CanEvictUnhealthyWithoutDecrement(JsonObject pdb)
    {
        if (pdb.GetString("spec", "unhealthyPodEvictionPolicy") == "AlwaysAllow")
        {
            return true;
        }
        var desired = pdb.GetLong("status", "desiredHealthy") ?? 0;
        return (pdb.GetLong("status", "currentHealthy") ?? 0) >= desired && desired > 0;
    }

    /// <summary>
    /// Spends one disruption of <paramref name="pdb"/> (a private copy, mutated): 429 while the controller has not
    /// observed the budget's generation or no disruption is left, 403 for a negative count or an overfull
    /// disruptedPods map. Unless <paramref name="dryRun"/>, records <paramref name="podName"/> in disruptedPods at
    /// <paramref name="now"/> so the controller does not count it as healthy while it goes away.
    /// </summary>
    public static void CheckAndDecrement(JsonObject pdb, string podName, DateTimeOffset now, bool dryRun)
    {
        var name = pdb.GetName() ?? "";
        if ((pdb.GetLong("status", "observedGeneration") ?? 0) < (pdb.GetLong("metadata", "generation") ?? 0))
        {
            throw BudgetBeingProcessed(name);
        }
        var allowed = pdb.GetLong("status", "disruptionsAllowed") ?? 0;
        if (allowed < 0)
        {
            throw ApiErrors.Forbidden($"poddisruptionbudget.policy \"{name}\" is forbidden: pdb disruptions allowed is negative");
        }
        if (pdb.GetObject("status", "disruptedPods")?.Count > MaxDisruptedPodSize)
        {
            throw ApiErrors.Forbidden($"poddisruptionbudget.policy \"{name}\" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller");
        }
        if (allowed == 0)
        {
            throw ApiErrors.TooManyRequests(ViolationMessage, [Cause(
                $"The disruption budget {name} needs {pdb.GetLong("status", "desiredHealthy") ?? 0} healthy pods and has {pdb.GetLong("status", "currentHealthy") ?? 0} currently")]);
        }
        pdb.SetPath(allowed - 1, "status", "disruptionsAllowed");
        if (allowed - 1 == 0)
        {
            PodDisruptionBudgetConditions.UpdateDisruptionAllowedCondition(pdb, now);
        }
        if (!dryRun)
        {
            pdb.SetPath(MetaTime.ToString(now), "status", "disruptedPods", podName);
        }
    }

    /// <summary>429 asking to come back later: the budget's status is stale (or a pinned delete lost a race).</summary>
    public static ApiException BudgetBeingProcessed(string pdbName) =>
        ApiErrors.TooManyRequests(ViolationMessage, [Cause($"The disruption budget {pdbName} is still being processed by the server.")]);

    /// <summary>
    /// The budgets of the pod's namespace whose selector matches the pod's labels (an empty selector matches all,
    /// a missing or unparsable one nothing).
    /// </summary>
    public static IReadOnlyList<JsonObject> MatchingBudgets(IEnumerable<JsonObject> pdbs, JsonObject pod)
    {
        var labels = pod.GetLabels();
        return [.. pdbs.Where(pdb => Selector(pdb)?.Matches(labels) == true)];
    }

    public static bool IsPodReady(JsonObject pod) =>
        pod.GetArray("status", "conditions")?.OfType<JsonObject>().Any(c => c.GetString("type") == "Ready" && c.GetString("status") == "True") == true;

    private static Machinery.Selectors.LabelSelector? Selector(JsonObject pdb)
    {
        try
        {
            return Machinery.Selectors.LabelSelector.FromLabelSelectorJson(pdb.GetObject("spec", "selector"));
        }
        catch (ApiException)
        {
            return null;
        }
    }

    private static V1StatusCause Cause(string message) => new() { Reason = DisruptionBudgetCause, Message = message };

    private static string? Phase(JsonObject pod) => pod.GetString("status", "phase");

    private static bool IsTerminating(JsonObject pod) => pod.GetString("metadata", "deletionTimestamp") is not null;
}
