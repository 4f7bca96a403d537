using System.Text.Json.Nodes;
using Berth.Kubelet.Status;
using Berth.Machinery.Serialization;

namespace Berth.Kubelet;

/// <summary>
/// Tells a pod update the pod worker must act on from a status-only echo: the API pod changed only in status, and
/// only in what the kubelet writes itself (typically its own status write coming back through the watch). Upstream's
/// pod config turns such an update into a RECONCILE, which refreshes the pod manager without a pod sync; Berth does
/// the same, but forwards every status change it did not make (conditions of other writers such as readiness gates
/// or DisruptionTarget, any other status field, a phase the kubelet has not cached), so a sync still sees them.
/// Mirrors kubernetes/kubernetes pkg/kubelet/config/config.go (checkAndUpdatePod, podsDifferSemantically).
/// </summary>
/// <remarks>Pure; reads the informer's JSON (no typed model), so it is cheap enough for every pod update.</remarks>
public static class PodUpdateKinds
{
    // Status fields the kubelet computes (StatusManager writes exactly these); conditions are handled by type.
    private static readonly HashSet<string> KubeletStatusFields =
    [
        "phase", "conditions", "message", "reason", "hostIP", "hostIPs", "podIP", "podIPs", "startTime",
        "containerStatuses", "initContainerStatuses", "qosClass",
    ];

    /// <summary>
    /// True when spec, labels, annotations, deletionTimestamp or deletionGracePeriodSeconds differ
    /// (podsDifferSemantically).
    /// </summary>
    public static bool PodsDifferSemantically(JsonObject existing, JsonObject pod) =>
        !JsonNode.DeepEquals(existing["spec"], pod["spec"])
        || !JsonNode.DeepEquals(existing.GetPath("metadata", "labels"), pod.GetPath("metadata", "labels"))
        || !JsonNode.DeepEquals(existing.GetPath("metadata", "annotations"), pod.GetPath("metadata", "annotations"))
        || existing.GetString("metadata", "deletionTimestamp") != pod.GetString("metadata", "deletionTimestamp")
        || existing.GetLong("metadata", "deletionGracePeriodSeconds") != pod.GetLong("metadata", "deletionGracePeriodSeconds");

    /// <summary>
    /// True when the update from <paramref name="existing"/> to <paramref name="pod"/> changes nothing but
    /// kubelet-written status, and the API phase is the one the kubelet has cached (<paramref name="cachedPhase"/>,
    /// null when it has no status of the pod yet, which never counts as an echo).
    /// </summary>
    public static bool IsKubeletStatusEcho(JsonObject existing, JsonObject pod, string? cachedPhase) =>
        cachedPhase is not null
        && cachedPhase == pod.GetString("status", "phase")
        && !PodsDifferSemantically(existing, pod)
        && OtherStatusFieldsEqual(existing.GetObject("status"), pod.GetObject("status"))
        && JsonNode.DeepEquals(OtherConditions(existing), OtherConditions(pod));

    private static bool OtherStatusFieldsEqual(JsonObject? existing, JsonObject? pod)
    {
        var keys = (existing ?? []).Select(p => p.Key).Concat((pod ?? []).Select(p => p.Key))
            .Where(k => !KubeletStatusFields.Contains(k)).Distinct(StringComparer.Ordinal);
        return keys.All(k => JsonNode.DeepEquals(existing?[k], pod?[k]));
    }

    // Conditions of other writers, in API order (a reorder counts as a change: rare, and a sync is always safe).
    private static JsonArray OtherConditions(JsonObject pod) =>
        [.. (pod.GetArray("status", "conditions") ?? []).OfType<JsonObject>()
            .Where(c => c.GetString("type") is not { } type || !PodConditions.IsOwnedByKubelet(type))
            .Select(c => c.DeepClone())];
}
