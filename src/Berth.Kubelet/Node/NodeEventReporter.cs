using Berth.Client.Events;

namespace Berth.Kubelet.Node;

/// <summary>
/// Records the kubelet's node events: <c>Node &lt;name&gt; status is now: &lt;reason&gt;</c>, Normal, about the Node
/// (referenced with UID = node name, as upstream's nodeRef). No-op without a recorder. Thread-safe.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/kubelet/kubelet_node_status.go (recordNodeStatusEvent).</remarks>
internal sealed class NodeEventReporter(IEventRecorder? recorder, string nodeName)
{
    public void StatusChanged(IEnumerable<string> reasons)
    {
        if (recorder is null)
        {
            return;
        }
        var node = new ObjectReference("Node", "", nodeName, nodeName, "", "");
        foreach (var reason in reasons)
        {
            recorder.Eventf(node, EventTypes.Normal, reason, "Node {0} status is now: {1}", nodeName, reason);
        }
    }
}
