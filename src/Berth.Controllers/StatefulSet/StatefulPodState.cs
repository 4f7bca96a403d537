using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.StatefulSet;

/// <summary>
/// Lifecycle predicates of a pod in storage form, as the StatefulSet sync reads them. A pod built locally and not yet
/// created has no <c>status.phase</c>. Pure and thread-safe.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/statefulset/stateful_set_utils.go (isCreated, isPending, isFailed,
/// isSucceeded, isTerminating, isHealthy, isRunningAndReady, isRunningAndAvailable).
/// </remarks>
public static class StatefulPodState
{
    public static bool IsCreated(JsonObject pod) => !string.IsNullOrEmpty(pod.GetString("status", "phase"));

    public static bool IsFailed(JsonObject pod) => pod.GetString("status", "phase") == "Failed";

    public static bool IsSucceeded(JsonObject pod) => pod.GetString("status", "phase") == "Succeeded";

    public static bool IsTerminating(JsonObject pod) => pod.GetString("metadata", "deletionTimestamp") is not null;

    public static bool IsRunningAndReady(JsonObject pod) =>
        pod.GetString("status", "phase") == "Running" && ReadyCondition(pod)?.GetString("status") == "True";

    /// <summary>Running, ready and not terminating.</summary>
    public static bool IsHealthy(JsonObject pod) => IsRunningAndReady(pod) && !IsTerminating(pod);

    /// <summary>Running and ready for longer than <paramref name="minReadySeconds"/> at <paramref name="now"/>.</summary>
    public static bool IsRunningAndAvailable(JsonObject pod, long minReadySeconds, DateTimeOffset now)
    {
        if (!IsRunningAndReady(pod))
        {
            return false;
        }
        if (minReadySeconds <= 0)
        {
            return true;
        }
        return DateTimeOffset.TryParse(ReadyCondition(pod)?.GetString("lastTransitionTime"), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var since) && since.AddSeconds(minReadySeconds) < now;
    }

    private static JsonObject? ReadyCondition(JsonObject pod) =>
        (pod.GetArray("status", "conditions") ?? []).OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == "Ready");
}
