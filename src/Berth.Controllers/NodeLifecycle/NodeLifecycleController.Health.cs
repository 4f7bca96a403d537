using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.Controllers.NodeLifecycle;

public sealed partial class NodeLifecycleController
{
    private static readonly string[] MonitoredConditions = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

    /// <summary>
    /// Level-triggered pass over one node: health (grace period), taints, and the pods' Ready condition on a
    /// Ready → not Ready transition. Re-enqueues itself for the moment the grace period would expire.
    /// </summary>
    private async Task SyncNodeAsync(string name, CancellationToken cancellationToken)
    {
        var cached = _nodes.Lister.Get(null, name);
        if (cached is null)
        {
            _health.Forget(name);
            lock (_markPodsRetry)
            {
                _markPodsRetry.Remove(name);
            }
            return;
        }
        var firstSeen = !_health.Knows(name);
        var now = _timeProvider.GetUtcNow();
        var leaseRenewTime = _leases.Lister.Get(NodeLeaseNamespace, name)?.GetString("spec", "renewTime");
        var probe = _health.Observe(cached, leaseRenewTime, now);
        var observedReady = NodeHealthTracker.ReadyCondition(cached)?.GetString("status") ?? "Unknown";
        var grace = NodeHealthTracker.ReadyCondition(cached) is null ? _options.NodeStartupGracePeriod : _options.NodeMonitorGracePeriod;
        var node = ApiJson.Clone(cached);
        if (now > probe + grace)
        {
            node = await MarkUnknownAsync(node, now, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            Queue.AddAt(new Machinery.Meta.ObjectKey("", name), probe + grace + TimeSpan.FromMilliseconds(1));
        }
        await ReconcileTaintsAsync(node, withNoExecute: !firstSeen, cancellationToken).ConfigureAwait(false);
        await MarkPodsIfNoLongerReadyAsync(node, observedReady, cancellationToken).ConfigureAwait(false);
        if (firstSeen)
        {
            Log.NodeObserved(Logger, name);
            RecordNodeEvent(node, "RegisteredNode", $"Node {name} event: Registered Node {name} in Controller");
        }
    }

    /// <summary>Sets the monitored conditions to Unknown; writes nodes/status when Ready changed. Returns the node as it now is.</summary>
    private async Task<JsonObject> MarkUnknownAsync(JsonObject node, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (node.GetArray("status", "conditions") is not { } conditions)
        {
            conditions = [];
            node.SetPath(conditions, "status", "conditions");
        }
        var readyBefore = NodeHealthTracker.ReadyCondition(node)?.ToJsonString();
        foreach (var type in MonitoredConditions)
        {
            var condition = conditions.OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == type);
            if (condition is null)
            {
                conditions.Add(new JsonObject
                {
                    ["type"] = type, ["status"] = "Unknown", ["reason"] = "NodeStatusNeverUpdated", ["message"] = "Kubelet never posted node status.",
                    ["lastHeartbeatTime"] = node.GetString("metadata", "creationTimestamp"), ["lastTransitionTime"] = MetaTime(now),
                });
            }
            else if (condition.GetString("status") != "Unknown")
            {
                condition["status"] = "Unknown";
                condition["reason"] = "NodeStatusUnknown";
                condition["message"] = "Kubelet stopped posting node status.";
                condition["lastTransitionTime"] = MetaTime(now);
            }
        }
        if (NodeHealthTracker.ReadyCondition(node)?.ToJsonString() == readyBefore)
        {
            return node;
        }
        Log.NodeUnknown(Logger, node.GetName() ?? "");
        return await _client.UpdateAsync(KindRegistry.Nodes, null, node, "status", cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task ReconcileTaintsAsync(JsonObject node, bool withNoExecute, CancellationToken cancellationToken)
    {
        if (NodeTaints.Reconcile(node, Now(), withNoExecute) is not { } taints)
        {
            return;
        }
        node.SetPath(taints, "spec", "taints");
        await _client.UpdateAsync(KindRegistry.Nodes, null, node, cancellationToken: cancellationToken).ConfigureAwait(false);
        Log.TaintsUpdated(Logger, node.GetName() ?? "");
    }

    /// <summary>On a Ready → not Ready transition (or a pending retry of one), records NodeNotReady and marks every pod on the node not ready.</summary>
    private async Task MarkPodsIfNoLongerReadyAsync(JsonObject node, string observedReady, CancellationToken cancellationToken)
    {
        var name = node.GetName() ?? "";
        var currentReady = NodeHealthTracker.ReadyCondition(node)?.GetString("status") ?? "Unknown";
        bool retry;
        lock (_markPodsRetry)
        {
            retry = _markPodsRetry.Contains(name);
        }
        var transition = currentReady != "True" && observedReady == "True";
        if (!transition && !(retry && observedReady != "True"))
        {
            lock (_markPodsRetry)
            {
                _markPodsRetry.Remove(name);
            }
            return;
        }
        if (transition)
        {
            _recorder.Eventf(NodeReference(node), EventTypes.Normal, "NodeNotReady", "Node {0} status is now: {1}", name, "NodeNotReady");
        }
        lock (_markPodsRetry)
        {
            _markPodsRetry.Add(name);
        }
        foreach (var pod in PodsOnNode(name))
        {
            await MarkPodNotReadyAsync(pod, cancellationToken).ConfigureAwait(false);
        }
        lock (_markPodsRetry)
        {
            _markPodsRetry.Remove(name);
        }
    }

    /// <summary>Sets the pod's Ready condition to False (transition time now) and records NodeNotReady on it; pods without a Ready condition or already not ready are left alone.</summary>
    private async Task MarkPodNotReadyAsync(JsonObject pod, CancellationToken cancellationToken)
    {
        var ready = (pod.GetArray("status", "conditions") ?? []).OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == "Ready");
        if (ready is null || ready.GetString("status") == "False")
        {
            return;
        }
        var patch = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "False", ["lastTransitionTime"] = Now() }),
            },
        };
        try
        {
            await _client.PatchAsync(KindRegistry.Pods, pod.GetNamespace(), pod.GetName()!, PatchType.StrategicMerge, patch, "status",
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return;
        }
        Log.PodNotReady(Logger, pod.GetNamespace() ?? "", pod.GetName() ?? "", pod.GetString("spec", "nodeName") ?? "");
        _recorder.Event(pod, EventTypes.Warning, "NodeNotReady", "Node is not ready");
    }

    private void RecordNodeEvent(JsonObject node, string reason, string message) =>
        _recorder.Event(NodeReference(node), EventTypes.Normal, reason, message);

    private static ObjectReference NodeReference(JsonObject node) =>
        new("Node", "", node.GetName() ?? "", node.GetUid() ?? "", "v1", "");

    private static string MetaTime(DateTimeOffset time) => Scheduling.MetaTimes.Format(time);
}
