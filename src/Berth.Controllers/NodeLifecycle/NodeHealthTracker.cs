using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.NodeLifecycle;

/// <summary>
/// When each node last showed signs of life, by this controller's own clock: the probe timestamp moves to "now"
/// whenever the kubelet's Ready heartbeat time or the node Lease's renewTime advances. Using observation time rather
/// than the reported times makes the grace period immune to clock skew and gives every node a full grace period after
/// this controller starts. Thread-safe.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/controller/nodelifecycle/node_lifecycle_controller.go (nodeHealthMap, tryUpdateNodeHealth's bookkeeping).</remarks>
internal sealed class NodeHealthTracker
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Health> _nodes = new(StringComparer.Ordinal);

    /// <summary>
    /// Records what <paramref name="node"/> and <paramref name="leaseRenewTime"/> show at <paramref name="now"/> and
    /// returns the node's probe timestamp. A node never seen before starts at now, or at its creation time when it
    /// never posted a Ready condition.
    /// </summary>
    public DateTimeOffset Observe(JsonObject node, string? leaseRenewTime, DateTimeOffset now)
    {
        var name = node.GetName() ?? "";
        var ready = ReadyCondition(node);
        var heartbeat = ready?.GetString("lastHeartbeatTime");
        lock (_gate)
        {
            if (!_nodes.TryGetValue(name, out var health))
            {
                var created = Time(node.GetString("metadata", "creationTimestamp"));
                health = new Health(ready is null && created is { } c ? c : now, ready is not null, heartbeat, null);
            }
            else if (health.HadReady != (ready is not null) || (ready is not null && health.Heartbeat != heartbeat))
            {
                health = health with { ProbeTimestamp = now, HadReady = ready is not null, Heartbeat = heartbeat };
            }
            if (leaseRenewTime is not null && Time(leaseRenewTime) is { } renewed && (health.LeaseRenewTime is not { } seen || seen < renewed))
            {
                health = health with { ProbeTimestamp = now, LeaseRenewTime = renewed };
            }
            _nodes[name] = health;
            return health.ProbeTimestamp;
        }
    }

    /// <summary>Whether <paramref name="nodeName"/> has been observed (false for a node this controller has not seen yet).</summary>
    public bool Knows(string nodeName)
    {
        lock (_gate)
        {
            return _nodes.ContainsKey(nodeName);
        }
    }

    /// <summary>The probe timestamp of <paramref name="nodeName"/>, or null when it has not been observed.</summary>
    public DateTimeOffset? ProbeTimestamp(string nodeName)
    {
        lock (_gate)
        {
            return _nodes.TryGetValue(nodeName, out var health) ? health.ProbeTimestamp : null;
        }
    }

    public void Forget(string nodeName)
    {
        lock (_gate)
        {
            _nodes.Remove(nodeName);
        }
    }

    public static JsonObject? ReadyCondition(JsonObject node) =>
        (node.GetArray("status", "conditions") ?? []).OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == "Ready");

    private static DateTimeOffset? Time(string? value) =>
        value is not null && DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    private sealed record Health(DateTimeOffset ProbeTimestamp, bool HadReady, string? Heartbeat, DateTimeOffset? LeaseRenewTime);
}
