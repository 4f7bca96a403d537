using System.Text.Json.Nodes;
using k8s.Models;

namespace Berth.Controllers.Scheduling;

/// <summary>
/// One node as the filters and scores see it: the Node, its allocatable resources, and what the pods already on it
/// (bound, or assumed by this scheduler and not yet seen bound) request. Built per scheduling attempt; not thread-safe.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/scheduler/framework/types.go (NodeInfo).</remarks>
internal sealed class NodeInfo(V1Node node)
{
    public V1Node Node { get; } = node;

    public string Name => Node.Metadata?.Name ?? "";

    public ResourceVector Allocatable { get; } = ResourceVector.From(node.Status?.Allocatable);

    public ResourceVector Requested { get; } = new();

    public ResourceVector NonZeroRequested { get; } = new();

    public int PodCount { get; private set; }

    /// <summary>The host ports the node's pods hold (upstream's NodeInfo.UsedPorts).</summary>
    public List<HostPort> UsedPorts { get; } = [];

    public void AddPod(V1Pod pod)
    {
        var (requests, nonZero) = PodRequests.Cached(pod);
        AddRequests(requests, nonZero);
        UsedPorts.AddRange(HostPorts.Of(pod));
    }

    /// <summary>Adds a bound pod from the informer's JSON (see <see cref="PodRequests.Cached(JsonObject)"/>).</summary>
    public void AddPod(JsonObject pod)
    {
        var (requests, nonZero) = PodRequests.Cached(pod);
        AddRequests(requests, nonZero);
        UsedPorts.AddRange(HostPorts.Of(pod));
    }

    public void AddRequests(ResourceVector requests, ResourceVector nonZeroRequests)
    {
        Requested.Add(requests);
        NonZeroRequested.Add(nonZeroRequests);
        PodCount++;
    }
}
