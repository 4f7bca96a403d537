namespace Berth.Controllers.Scheduling;

/// <summary>How a node failed a filter.</summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/scheduler/framework/interface.go (Code).</remarks>
internal enum FilterCode
{
    /// <summary>The node does not fit now but could after preemption (e.g. <c>Insufficient cpu</c>).</summary>
    Unschedulable,

    /// <summary>The node cannot fit the pod whatever is evicted (taints, affinity, cordon).</summary>
    UnschedulableAndUnresolvable,
}

/// <summary>A failed filter: its code and the user-visible reasons (one or more, e.g. <c>Insufficient cpu</c>, <c>Insufficient memory</c>).</summary>
internal sealed record FilterStatus(FilterCode Code, IReadOnlyList<string> Reasons)
{
    public static FilterStatus Unresolvable(string reason) => new(FilterCode.UnschedulableAndUnresolvable, [reason]);
}
