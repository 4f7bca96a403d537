using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.Controllers.Util;

/// <summary>
/// Pod predicates the workload controllers share. Pure functions over read-only models.
/// Mirrors kubernetes/kubernetes pkg/api/v1/pod/util.go (IsPodReady, IsPodAvailable) and
/// pkg/controller/controller_utils.go (IsPodActive, FilterActivePods).
/// </summary>
public static class PodUtil
{
    /// <summary>Not finished and not terminating: counts towards a controller's replicas.</summary>
    public static bool IsPodActive(V1Pod pod) =>
        pod.Status?.Phase is not ("Succeeded" or "Failed") && pod.Metadata.DeletionTimestamp is null;

    /// <summary>
    /// <see cref="IsPodActive(V1Pod)"/> on an informer's JSON, so a controller can filter a whole namespace's pods
    /// without converting (and caching) a model for each of them.
    /// </summary>
    public static bool IsPodActive(JsonObject pod) =>
        pod.GetString("status", "phase") is not ("Succeeded" or "Failed") && pod.GetString("metadata", "deletionTimestamp") is null;

    public static IReadOnlyList<V1Pod> FilterActivePods(IEnumerable<V1Pod> pods) => [.. pods.Where(IsPodActive)];

    public static V1PodCondition? ReadyCondition(V1Pod pod) =>
        pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");

    public static bool IsPodReady(V1Pod pod) => ReadyCondition(pod)?.Status == "True";

    /// <summary>Ready for at least <paramref name="minReadySeconds"/> (strictly longer, as upstream) at <paramref name="now"/>.</summary>
    public static bool IsPodAvailable(V1Pod pod, int minReadySeconds, DateTimeOffset now)
    {
        var ready = ReadyCondition(pod);
        if (ready?.Status != "True")
        {
            return false;
        }
        if (minReadySeconds == 0)
        {
            return true;
        }
        return ready.LastTransitionTime is { } since &&
            new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Utc)).AddSeconds(minReadySeconds) < now;
    }
}
