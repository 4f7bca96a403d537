using k8s;
using k8s.Models;

namespace Berth.Kubelet.Status;

/// <summary>
/// Whether two statuses differ in anything the kubelet writes: kubelet-owned conditions by status, reason and
/// message (not transition times), everything else exactly. Mirrors kubernetes/kubernetes
/// pkg/kubelet/status/status_manager.go (isPodStatusByKubeletEqual).
/// </summary>
public static class PodStatusEquality
{
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

        var oldCopy = KubernetesJson.Deserialize<V1PodStatus>(KubernetesJson.Serialize(oldStatus));
        oldCopy.Conditions = status.Conditions;
        return KubernetesJson.Serialize(Normalize(oldCopy)) == KubernetesJson.Serialize(Normalize(status));
    }

    private static Dictionary<string, V1PodCondition> Owned(V1PodStatus status) =>
        (status.Conditions ?? [])
            .Where(c => PodConditions.IsOwnedByKubelet(c.Type) || c.Type == PodConditions.DisruptionTarget)
            .GroupBy(c => c.Type)
            .ToDictionary(g => g.Key, g => g.First());

    // Empty lists and absent lists compare equal, as Go's semantic equality of nil and empty slices after a round trip.
    private static V1PodStatus Normalize(V1PodStatus status)
    {
        var copy = KubernetesJson.Deserialize<V1PodStatus>(KubernetesJson.Serialize(status));
        copy.ContainerStatuses = copy.ContainerStatuses is { Count: > 0 } ? copy.ContainerStatuses : null;
        copy.InitContainerStatuses = copy.InitContainerStatuses is { Count: > 0 } ? copy.InitContainerStatuses : null;
        copy.EphemeralContainerStatuses = copy.EphemeralContainerStatuses is { Count: > 0 } ? copy.EphemeralContainerStatuses : null;
        copy.PodIPs = copy.PodIPs is { Count: > 0 } ? copy.PodIPs : null;
        copy.HostIPs = copy.HostIPs is { Count: > 0 } ? copy.HostIPs : null;
        copy.Conditions = copy.Conditions is { Count: > 0 } ? [.. copy.Conditions.OrderBy(c => c.Type, StringComparer.Ordinal)] : null;
        copy.Reason = string.IsNullOrEmpty(copy.Reason) ? null : copy.Reason;
        copy.Message = string.IsNullOrEmpty(copy.Message) ? null : copy.Message;
        copy.PodIP = string.IsNullOrEmpty(copy.PodIP) ? null : copy.PodIP;
        return copy;
    }
}
