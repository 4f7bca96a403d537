using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.NodeLifecycle;

/// <summary>
/// The taints the node lifecycle controller owns, derived from the node's conditions and cordon: NoSchedule
/// <c>not-ready</c> (Ready=False), <c>unreachable</c> (Ready=Unknown), <c>memory-pressure</c>, <c>disk-pressure</c>,
/// <c>pid-pressure</c>, <c>network-unavailable</c> and <c>unschedulable</c> (spec.unschedulable); NoExecute
/// <c>not-ready</c> / <c>unreachable</c> (mutually exclusive, stamped with <c>timeAdded</c>). Other taints are never
/// touched, and an owned taint that stays keeps its <c>timeAdded</c>. Pure.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/nodelifecycle/node_lifecycle_controller.go (nodeConditionToTaintKeyStatusMap,
/// doNoScheduleTaintingPass, processTaintBaseEviction, markNodeAsReachable) and pkg/controller/util/node (SwapNodeControllerTaint).
/// </remarks>
internal static class NodeTaints
{
    public const string NotReady = "node.kubernetes.io/not-ready";
    public const string Unreachable = "node.kubernetes.io/unreachable";
    public const string MemoryPressure = "node.kubernetes.io/memory-pressure";
    public const string DiskPressure = "node.kubernetes.io/disk-pressure";
    public const string PidPressure = "node.kubernetes.io/pid-pressure";
    public const string NetworkUnavailable = "node.kubernetes.io/network-unavailable";
    public const string Unschedulable = "node.kubernetes.io/unschedulable";

    private static readonly string[] NoScheduleKeys = [NotReady, Unreachable, MemoryPressure, DiskPressure, PidPressure, NetworkUnavailable, Unschedulable];
    private static readonly string[] NoExecuteKeys = [NotReady, Unreachable];

    /// <summary>
    /// The node's taints with the owned ones brought in line with <paramref name="node"/>'s conditions, or null when
    /// nothing changes. <paramref name="withNoExecute"/> false removes the owned NoExecute taints instead (a node
    /// seen for the first time, as upstream's markNodeAsReachable).
    /// </summary>
    public static JsonArray? Reconcile(JsonObject node, string timeAdded, bool withNoExecute = true)
    {
        var existing = (node.GetArray("spec", "taints") ?? []).OfType<JsonObject>().ToList();
        var desired = Desired(node, withNoExecute);
        var result = new JsonArray();
        foreach (var taint in existing)
        {
            var (key, effect) = (taint.GetString("key") ?? "", taint.GetString("effect") ?? "");
            if (!IsOwned(key, effect) || desired.Remove((key, effect)))
            {
                result.Add(taint.DeepClone());
            }
        }
        foreach (var (key, effect) in desired)
        {
            var taint = new JsonObject { ["key"] = key, ["effect"] = effect };
            if (effect == "NoExecute")
            {
                taint["timeAdded"] = timeAdded;
            }
            result.Add(taint);
        }
        var changed = result.Count != existing.Count || desired.Count > 0;
        return changed ? result : null;
    }

    private static bool IsOwned(string key, string effect) =>
        (effect == "NoSchedule" && NoScheduleKeys.Contains(key)) || (effect == "NoExecute" && NoExecuteKeys.Contains(key));

    private static List<(string Key, string Effect)> Desired(JsonObject node, bool withNoExecute)
    {
        var desired = new List<(string, string)>();
        foreach (var condition in (node.GetArray("status", "conditions") ?? []).OfType<JsonObject>())
        {
            var key = (condition.GetString("type"), condition.GetString("status")) switch
            {
                ("Ready", "False") => NotReady,
                ("Ready", "Unknown") => Unreachable,
                ("MemoryPressure", "True") => MemoryPressure,
                ("DiskPressure", "True") => DiskPressure,
                ("PIDPressure", "True") => PidPressure,
                ("NetworkUnavailable", "True") => NetworkUnavailable,
                _ => null,
            };
            if (key is not null)
            {
                desired.Add((key, "NoSchedule"));
            }
            if (withNoExecute && key is NotReady or Unreachable && condition.GetString("type") == "Ready")
            {
                desired.Add((key, "NoExecute"));
            }
        }
        if (node.GetBool("spec", "unschedulable") == true)
        {
            desired.Add((Unschedulable, "NoSchedule"));
        }
        return desired;
    }
}
