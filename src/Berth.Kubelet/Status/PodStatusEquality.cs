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
/// Runs on every status set, every sync and every resync of every pod. Conditions are compared on the models; the
/// rest on the statuses' JSON, which a caller that goes on to build a patch passes in, so that each status is
/// serialised once per write. Pure and thread-safe; no argument is modified.
/// </remarks>
public static class PodStatusEquality
{
    private static readonly HashSet<string> ListFields = ["containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses", "podIPs", "hostIPs"];
    private static readonly HashSet<string> StringFields = ["reason", "message", "podIP"];

    public static bool IsPodStatusByKubeletEqual(V1PodStatus oldStatus, V1PodStatus status) =>
        ConditionsEqual(oldStatus, status) && FieldsEqual(ApiJson.FromModel(oldStatus), ApiJson.FromModel(status));

    /// <summary>
    /// As <see cref="IsPodStatusByKubeletEqual(V1PodStatus, V1PodStatus)"/>, with <paramref name="oldJson"/> and
    /// <paramref name="json"/> the two statuses serialised by the caller: both plain, or both with
    /// <see cref="ZeroTimes"/>' nulls (a null inside a list differs from an absent field).
    /// </summary>
    public static bool IsPodStatusByKubeletEqual(V1PodStatus oldStatus, V1PodStatus status, JsonObject oldJson, JsonObject json) =>
        ConditionsEqual(oldStatus, status) && FieldsEqual(oldJson, json);

    private static bool ConditionsEqual(V1PodStatus oldStatus, V1PodStatus status)
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

        return true;
    }

    private static Dictionary<string, V1PodCondition> Owned(V1PodStatus status) =>
        (status.Conditions ?? [])
            .Where(c => PodConditions.IsOwnedByKubelet(c.Type) || c.Type == PodConditions.DisruptionTarget)
            .GroupBy(c => c.Type)
            .ToDictionary(g => g.Key, g => g.First());

    // Every field but the conditions (upstream copies the new conditions over the old before comparing, so only the
    // owned-condition check above can tell them apart). Empty and absent lists compare equal, as Go's semantic
    // equality of nil and empty slices after a round trip; so do empty and absent reason, message and podIP.
    private static bool FieldsEqual(JsonObject oldJson, JsonObject json)
    {
        foreach (var (key, value) in json)
        {
            if (key != "conditions" && !JsonNode.DeepEquals(Normal(key, oldJson[key]), Normal(key, value)))
            {
                return false;
            }
        }

        foreach (var (key, value) in oldJson)
        {
            if (key != "conditions" && !json.ContainsKey(key) && Normal(key, value) is not null)
            {
                return false;
            }
        }

        return true;
    }

    private static JsonNode? Normal(string key, JsonNode? value) => value switch
    {
        JsonArray { Count: 0 } when ListFields.Contains(key) => null,
        JsonValue v when StringFields.Contains(key) && v.TryGetValue<string>(out var text) && text.Length == 0 => null,
        _ => value,
    };
}
