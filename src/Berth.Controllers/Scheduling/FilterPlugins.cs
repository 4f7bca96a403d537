using k8s.Models;

namespace Berth.Controllers.Scheduling;

/// <summary>
/// The filter plugins, in upstream's default order; a node fails with the first plugin that rejects it. Reasons are
/// upstream's exact strings, because they end up in FailedScheduling events that users and tools match on. Pure.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/scheduler/framework/plugins: nodeunschedulable, nodename, tainttoleration,
/// nodeaffinity, nodeports and noderesources/fit.go (fitsRequest). Not implemented: volume plugins,
/// PodTopologySpread and InterPodAffinity.
/// </remarks>
internal static class FilterPlugins
{
    public const string ErrReasonUnschedulable = "node(s) were unschedulable";
    public const string ErrReasonNodeName = "node(s) didn't match the requested node name";
    public const string ErrReasonNodeAffinity = "node(s) didn't match Pod's node affinity/selector";
    public const string ErrReasonNodePorts = "node(s) didn't have free ports for the requested pod ports";
    public const string TaintNodeUnschedulable = "node.kubernetes.io/unschedulable";

    /// <summary>Runs every filter on <paramref name="node"/>; null when it fits.</summary>
    public static FilterStatus? RunFilters(V1Pod pod, ResourceVector podRequests, NodeInfo node) =>
        NodeUnschedulable(pod, node) ?? NodeName(pod, node) ?? TaintToleration(pod, node) ?? NodeAffinity(pod, node)
        ?? NodePorts(pod, node) ?? NodeResourcesFit(podRequests, node);

    public static FilterStatus? NodeUnschedulable(V1Pod pod, NodeInfo node)
    {
        if (node.Node.Spec?.Unschedulable != true)
        {
            return null;
        }
        var tolerates = Tolerations.TolerateTaint(pod.Spec?.Tolerations, new V1Taint { Key = TaintNodeUnschedulable, Effect = "NoSchedule" });
        return tolerates ? null : FilterStatus.Unresolvable(ErrReasonUnschedulable);
    }

    public static FilterStatus? NodeName(V1Pod pod, NodeInfo node) =>
        string.IsNullOrEmpty(pod.Spec?.NodeName) || pod.Spec.NodeName == node.Name ? null : FilterStatus.Unresolvable(ErrReasonNodeName);

    public static FilterStatus? TaintToleration(V1Pod pod, NodeInfo node)
    {
        var taint = Tolerations.FindMatchingUntoleratedTaint(node.Node.Spec?.Taints, pod.Spec?.Tolerations,
            t => t.Effect is "NoSchedule" or "NoExecute");
        return taint is null ? null : FilterStatus.Unresolvable($"node(s) had untolerated taint {{{taint.Key}: {taint.Value}}}");
    }

    public static FilterStatus? NodeAffinity(V1Pod pod, NodeInfo node) =>
        NodeSelectorMatcher.Matches(pod, node.Node) ? null : FilterStatus.Unresolvable(ErrReasonNodeAffinity);

    /// <summary>The pod's host ports must not conflict with those the node's pods hold.</summary>
    public static FilterStatus? NodePorts(V1Pod pod, NodeInfo node)
    {
        foreach (var wanted in HostPorts.Of(pod))
        {
            if (node.UsedPorts.Exists(used => used.ConflictsWith(wanted)))
            {
                return new FilterStatus(FilterCode.Unschedulable, [ErrReasonNodePorts]);
            }
        }
        return null;
    }

    public static FilterStatus? NodeResourcesFit(ResourceVector podRequests, NodeInfo node)
    {
        var reasons = new List<string>();
        var allocatable = node.Allocatable;
        var requested = node.Requested;
        if (node.PodCount + 1 > allocatable.AllowedPodNumber)
        {
            reasons.Add("Too many pods");
        }
        if (podRequests.MilliCpu > 0 && podRequests.MilliCpu > allocatable.MilliCpu - requested.MilliCpu)
        {
            reasons.Add("Insufficient cpu");
        }
        if (podRequests.Memory > 0 && podRequests.Memory > allocatable.Memory - requested.Memory)
        {
            reasons.Add("Insufficient memory");
        }
        if (podRequests.EphemeralStorage > 0 && podRequests.EphemeralStorage > allocatable.EphemeralStorage - requested.EphemeralStorage)
        {
            reasons.Add("Insufficient ephemeral-storage");
        }
        foreach (var (name, quantity) in podRequests.Scalars.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (quantity > 0 && quantity > allocatable.Scalars.GetValueOrDefault(name) - requested.Scalars.GetValueOrDefault(name))
            {
                reasons.Add("Insufficient " + name);
            }
        }
        return reasons.Count == 0 ? null : new FilterStatus(FilterCode.Unschedulable, reasons);
    }
}
