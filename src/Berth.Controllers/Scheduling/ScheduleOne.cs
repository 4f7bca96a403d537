using k8s.Models;

namespace Berth.Controllers.Scheduling;

/// <summary>The outcome of one scheduling attempt: the chosen node, or the FailedScheduling message.</summary>
internal sealed record ScheduleResult(string? NodeName, string? FailureMessage, ResourceVector Requests, ResourceVector NonZeroRequests);

/// <summary>
/// One scheduling decision: filter every node (<see cref="FilterPlugins"/>), score the feasible ones
/// (<see cref="LeastAllocated"/>) and pick the best, ties broken by node name so decisions are reproducible
/// (upstream picks randomly among ties). Pure.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/scheduler/schedule_one.go (schedulePod, findNodesThatFitPod, prioritizeNodes, selectHost).</remarks>
internal static class ScheduleOne
{
    /// <param name="volumes">What the VolumeBinding plugin found (its Filter runs after the others); none when null.</param>
    public static ScheduleResult SchedulePod(V1Pod pod, IReadOnlyList<NodeInfo> nodes, PodVolumes? volumes = null)
    {
        var requests = PodRequests.Compute(pod);
        var nonZero = PodRequests.Compute(pod, nonZero: true);
        if (nodes.Count == 0)
        {
            return new ScheduleResult(null, FitError.NoNodesAvailable, requests, nonZero);
        }
        var failed = new Dictionary<string, FilterStatus>(StringComparer.Ordinal);
        var feasible = new List<NodeInfo>();
        foreach (var node in nodes)
        {
            if ((FilterPlugins.RunFilters(pod, requests, node) ?? (volumes is null ? null : VolumeBinding.Filter(volumes, node))) is { } status)
            {
                failed[node.Name] = status;
            }
            else
            {
                feasible.Add(node);
            }
        }
        if (feasible.Count == 0)
        {
            return new ScheduleResult(null, FitError.Message(pod, nodes.Count, failed), requests, nonZero);
        }
        var best = feasible
            .OrderByDescending(n => LeastAllocated.Score(nonZero, n))
            .ThenBy(n => n.Name, StringComparer.Ordinal)
            .First();
        return new ScheduleResult(best.Name, null, requests, nonZero);
    }
}
