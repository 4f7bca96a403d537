using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Kubelet.Node;

/// <summary>
/// Computes the kubelet-owned node conditions in upstream order (MemoryPressure, DiskPressure, PIDPressure, Ready):
/// every heartbeat time becomes <c>now</c>, a transition time changes only when the status does, and each transition
/// yields the node event upstream records (<c>NodeHasSufficientMemory</c>, <c>NodeReady</c>…). Berth has no eviction
/// manager, so the pressure conditions always report no pressure. Conditions owned by others (e.g.
/// NetworkUnavailable) are kept as they are. Pure.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/kubelet/nodestatus/setters.go (ReadyCondition, MemoryPressureCondition, DiskPressureCondition, PIDPressureCondition).</remarks>
public static class NodeConditionSetter
{
    /// <summary>The Ready=False message while the node shuts down (nodeshutdown manager's ShutdownStatus).</summary>
    public const string ShuttingDownMessage = "node is shutting down";

    private static readonly string[] Owned = ["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"];

    /// <param name="existing">The node's current <c>status.conditions</c> (read, not modified).</param>
    /// <param name="notReadyMessage">Null when the node is ready; otherwise the KubeletNotReady message.</param>
    /// <param name="events">Receives the reason of each transition, for a Normal node event.</param>
    public static JsonArray SetConditions(JsonArray? existing, DateTimeOffset now, string? notReadyMessage, ICollection<string> events)
    {
        var current = (existing ?? []).OfType<JsonObject>().ToList();
        var result = new JsonArray();
        foreach (var condition in current.Where(c => !Owned.Contains(c.GetString("type"))))
        {
            result.Add(condition.DeepClone());
        }
        var ready = notReadyMessage is null;
        result.Add(Set(current, "MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", "NodeHasSufficientMemory", now, events));
        result.Add(Set(current, "DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", "NodeHasNoDiskPressure", now, events));
        result.Add(Set(current, "PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", "NodeHasSufficientPID", now, events));
        result.Add(ready
            ? Set(current, "Ready", "True", "KubeletReady", "kubelet is posting ready status", "NodeReady", now, events)
            : Set(current, "Ready", "False", "KubeletNotReady", notReadyMessage!, "NodeNotReady", now, events));
        return result;
    }

    private static JsonObject Set(List<JsonObject> current, string type, string status, string reason, string message, string eventReason,
        DateTimeOffset now, ICollection<string> events)
    {
        var previous = current.FirstOrDefault(c => c.GetString("type") == type);
        var transitioned = previous?.GetString("status") != status;
        if (transitioned)
        {
            events.Add(eventReason);
        }
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = status,
            ["lastHeartbeatTime"] = NodeFormats.Time(now),
            ["lastTransitionTime"] = transitioned ? NodeFormats.Time(now) : previous!.GetString("lastTransitionTime") ?? NodeFormats.Time(now),
            ["reason"] = reason,
            ["message"] = message,
        };
    }
}
