using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.Kubelet.Status;

/// <summary>
/// Whether two statuses differ in anything the kubelet writes: kubelet-owned conditions by status, reason and
/// message (not transition times), everything else exactly. Mirrors kubernetes/kubernetes
/// pkg/kubelet/status/status_manager.go (isPodStatusByKubeletEqual).
/// </summary>
/// <remarks>
/// Compares the statuses' JSON (one serialisation each, no model round trips): it runs on every status set, every
/// sync and every resync of every pod. Pure and thread-safe; the arguments are not modified.
/// </remarks>
public static class PodStatusEquality
{
    private static readonly string[] ListFields = ["containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses", "podIPs", "hostIPs"];
    private static readonly string[] StringFields = ["reason", "message", "podIP"];

    public static bool IsPodStatusByKubeletEqual(V1PodStatus oldStatus, V1PodStatus status)
    {
        var newConditions = Owned(status);
        var oldConditions = Owned(oldStatus);
        if (newConditions.Count != oldConditions.Count)
        {
            return false;
        }

        foreach (var (type, c) in newConditions)
        {
            if (!oldConditions.TryGetValue(type, out var o) || o.Status != c.Status || (o.Message ?? "") != (c.Message ?? "") || (o.Reason ?? "") != (c.Reason ?? ""))
            {
                return false;
            }
        }

        // The old status is compared with the new one's conditions, as upstream copies them over before comparing.
        var oldJson = ApiJson.FromModel(oldStatus);
        var newJson = ApiJson.FromModel(status);
        oldJson.Remove("conditions");
        if (newJson["conditions"] is { } conditions)
        {
            oldJson["conditions"] = conditions.DeepClone();
        }

        return JsonNode.DeepEquals(Normalize(oldJson), Normalize(newJson));
    }

    private static Dictionary<string, V1PodCondition> Owned(V1PodStatus status) =>
        (status.Conditions ?? [])
            .Where(c => PodConditions.IsOwnedByKubelet(c.Type) || c.Type == PodConditions.DisruptionTarget)
            .GroupBy(c => c.Type)
            .ToDictionary(g => g.Key, g => g.First());

    // Empty lists and absent lists compare equal, as Go's semantic equality of nil and empty slices after a round
    // trip; so do empty and absent reason, message and podIP. Conditions are compared in type order.
    private static JsonObject Normalize(JsonObject status)
    {
        foreach (var field in ListFields)
        {
            if (status[field] is null or JsonArray { Count: 0 })
            {
                status.Remove(field);
            }
        }

        foreach (var field in StringFields)
        {
            if (status[field] is null || (status[field] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length == 0))
            {
                status.Remove(field);
            }
        }

        if (status["conditions"] is not JsonArray { Count: > 0 } conditions)
        {
            status.Remove("conditions");
            return status;
        }

        var sorted = conditions.OrderBy(c => c?["type"]?.GetValue<string>() ?? "", StringComparer.Ordinal).ToList();
        conditions.Clear();
        foreach (var c in sorted)
        {
            conditions.Add(c);
        }

        return status;
    }
}
