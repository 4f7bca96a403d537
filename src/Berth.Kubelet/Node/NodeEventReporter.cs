using Berth.Client.Events;

namespace Berth.Kubelet.Node;

/// <summary>
/// Records the kubelet's node events, Normal, about the Node (referenced with UID = node name, as upstream's nodeRef):
/// <c>Starting</c> once per agent start, and <c>Node &lt;name&gt; status is now: &lt;reason&gt;</c> per condition
/// transition. No-op without a recorder. Thread-safe.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/kubelet/kubelet.go (BirthCry) and pkg/kubelet/kubelet_node_status.go
/// (recordNodeStatusEvent).
/// </remarks>
internal sealed class NodeEventReporter(IEventRecorder? recorder, string nodeName)
{
    public const string StartingReason = "Starting";

    private ObjectReference Node => new("Node", "", nodeName, nodeName, "", "");

    /// <summary>The agent has started (before it registers the Node).</summary>
    public void Starting() => recorder?.Eventf(Node, EventTypes.Normal, StartingReason, "Starting kubelet.");

    public void StatusChanged(IEnumerable<string> reasons)
    {
        if (recorder is null)
        {
            return;
        }
        foreach (var reason in reasons)
        {
            recorder.Eventf(Node, EventTypes.Normal, reason, "Node {0} status is now: {1}", nodeName, reason);
        }
    }
}
