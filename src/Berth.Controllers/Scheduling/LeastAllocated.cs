namespace Berth.Controllers.Scheduling;

/// <summary>
/// Scores a node 0–100 by how much cpu and memory would stay free with the pod on it (non-zero requests, equal
/// weights, integer arithmetic as upstream). Higher is better. Pure.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/scheduler/framework/plugins/noderesources/least_allocated.go (leastResourceScorer).</remarks>
internal static class LeastAllocated
{
    public const long MaxNodeScore = 100;

    public static long Score(ResourceVector podNonZeroRequests, NodeInfo node)
    {
        var cpu = ResourceScore(node.NonZeroRequested.MilliCpu + podNonZeroRequests.MilliCpu, node.Allocatable.MilliCpu);
        var memory = ResourceScore(node.NonZeroRequested.Memory + podNonZeroRequests.Memory, node.Allocatable.Memory);
        return (cpu + memory) / 2;
    }

    private static long ResourceScore(long requested, long capacity)
    {
        if (capacity == 0 || requested > capacity)
        {
            return 0;
        }
        return (long)((Int128)(capacity - requested) * MaxNodeScore / capacity);
    }
}
