using k8s.Models;

namespace Berth.Controllers.Scheduling;

/// <summary>
/// The FailedScheduling message: <c>0/N nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.</c>
/// (a histogram of per-node reasons, sorted as strings) followed by what preemption would say:
/// <c>preemption: 0/N nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found
/// for incoming pod.</c> Berth never preempts; for nodes that failed a resolvable filter it reports "No preemption
/// victims found for incoming pod", which is what upstream says when no lower-priority pod runs there. A pod with
/// <c>preemptionPolicy: Never</c> gets upstream's "not eligible" text. Pure.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/scheduler/framework/types.go (FitError.Error) and plugins/defaultpreemption (PostFilter messages).</remarks>
internal static class FitError
{
    public const string NoNodesAvailable = "no nodes available to schedule pods";

    public static string Message(V1Pod pod, int numAllNodes, IReadOnlyDictionary<string, FilterStatus> failedNodes)
    {
        var filterMessage = Histogram(failedNodes.Values.SelectMany(s => s.Reasons));
        var message = $"0/{numAllNodes} nodes are available: {filterMessage}.";
        return message + " " + PreemptionMessage(pod, numAllNodes, failedNodes);
    }

    /// <summary>
    /// The message when a PreFilter plugin rejected the pod (e.g. <c>persistentvolumeclaim "x" not found</c>): its
    /// message instead of the node histogram; every node counts as unresolvable for preemption.
    /// </summary>
    public static string PreFilterMessage(V1Pod pod, int numAllNodes, string preFilterMessage, IEnumerable<string> nodeNames)
    {
        var failed = nodeNames.ToDictionary(n => n, _ => FilterStatus.Unresolvable(preFilterMessage), StringComparer.Ordinal);
        return $"0/{numAllNodes} nodes are available: {preFilterMessage}. " + PreemptionMessage(pod, numAllNodes, failed);
    }

    private static string PreemptionMessage(V1Pod pod, int numAllNodes, IReadOnlyDictionary<string, FilterStatus> failedNodes)
    {
        if (pod.Spec?.PreemptionPolicy == "Never")
        {
            return "preemption: not eligible due to preemptionPolicy=Never.";
        }
        var reasons = failedNodes.Values.Select(s => s.Code == FilterCode.UnschedulableAndUnresolvable
            ? "Preemption is not helpful for scheduling"
            : "No preemption victims found for incoming pod");
        return $"preemption: 0/{numAllNodes} nodes are available: {Histogram(reasons)}.";
    }

    /// <summary>"&lt;count&gt; &lt;reason&gt;" entries sorted as strings (Go's sort.Strings), joined with ", ".</summary>
    private static string Histogram(IEnumerable<string> reasons) =>
        string.Join(", ", reasons.GroupBy(r => r, StringComparer.Ordinal)
            .Select(g => $"{g.Count()} {g.Key}")
            .Order(StringComparer.Ordinal));
}
