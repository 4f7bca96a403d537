using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.StatefulSet;

/// <summary>
/// The status one sync computes for a StatefulSet. Built and mutated by a single sync; not thread-safe.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/statefulset/stateful_set_control.go (updateStatus,
/// computeReplicaStatus) and stateful_set_utils.go (completeRollingUpdate, inconsistentStatus).
/// </remarks>
public sealed class StatefulSetStatus
{
    public long ObservedGeneration { get; init; }

    public string CurrentRevision { get; set; } = "";

    public string UpdateRevision { get; init; } = "";

    public long CollisionCount { get; init; }

    /// <summary>Created pods (phase set), terminating ones included.</summary>
    public int Replicas { get; private set; }

    public int ReadyReplicas { get; private set; }

    public int AvailableReplicas { get; private set; }

    /// <summary>Created, not terminating pods at the current revision; lowered by a sync that just deleted one for update.</summary>
    public int CurrentReplicas { get; set; }

    public int UpdatedReplicas { get; private set; }

    /// <summary>Recounts the replica fields over <paramref name="podLists"/> (upstream updateStatus).</summary>
    public void Count(long minReadySeconds, DateTimeOffset now, params IEnumerable<JsonObject>[] podLists)
    {
        (Replicas, ReadyReplicas, AvailableReplicas, CurrentReplicas, UpdatedReplicas) = (0, 0, 0, 0, 0);
        foreach (var pod in podLists.SelectMany(list => list))
        {
            var created = StatefulPodState.IsCreated(pod);
            Replicas += created ? 1 : 0;
            if (StatefulPodState.IsRunningAndReady(pod))
            {
                ReadyReplicas++;
                AvailableReplicas += StatefulPodState.IsRunningAndAvailable(pod, minReadySeconds, now) ? 1 : 0;
            }
            if (created && !StatefulPodState.IsTerminating(pod))
            {
                var revision = StatefulSetUtils.GetPodRevision(pod);
                CurrentReplicas += revision == CurrentRevision ? 1 : 0;
                UpdatedReplicas += revision == UpdateRevision ? 1 : 0;
            }
        }
    }

    /// <summary>
    /// Once every pod is updated and ready, the update revision becomes the current one (upstream
    /// completeRollingUpdate; RollingUpdate only, so an OnDelete set keeps reporting its old pods).
    /// </summary>
    public void CompleteRollingUpdate(JsonObject set)
    {
        if (set.GetString("spec", "updateStrategy", "type") == "RollingUpdate" && UpdatedReplicas == Replicas && ReadyReplicas == Replicas)
        {
            CurrentReplicas = UpdatedReplicas;
            CurrentRevision = UpdateRevision;
        }
    }

    /// <summary>The status object in wire form; fields Go omits when empty are left out, conditions are kept from <paramref name="existing"/>.</summary>
    public JsonObject ToJson(JsonObject? existing)
    {
        var status = new JsonObject();
        Put(status, "observedGeneration", ObservedGeneration);
        status["replicas"] = Replicas;
        Put(status, "readyReplicas", ReadyReplicas);
        Put(status, "currentReplicas", CurrentReplicas);
        Put(status, "updatedReplicas", UpdatedReplicas);
        if (CurrentRevision.Length > 0)
        {
            status["currentRevision"] = CurrentRevision;
        }
        if (UpdateRevision.Length > 0)
        {
            status["updateRevision"] = UpdateRevision;
        }
        status["collisionCount"] = CollisionCount;
        status["availableReplicas"] = AvailableReplicas;
        if (existing?["conditions"] is { } conditions)
        {
            status["conditions"] = conditions.DeepClone();
        }
        return status;
    }

    private static void Put(JsonObject status, string field, long value)
    {
        if (value != 0)
        {
            status[field] = value;
        }
    }
}
