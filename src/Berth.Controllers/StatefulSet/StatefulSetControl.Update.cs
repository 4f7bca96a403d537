using System.Text.Json.Nodes;
using Berth.Controllers.Util;
using Berth.Machinery.Errors;
using Berth.Machinery.Serialization;
using Microsoft.Extensions.Logging;
using static Berth.Controllers.StatefulSet.StatefulPodState;
using static Berth.Controllers.StatefulSet.StatefulSetUtils;

namespace Berth.Controllers.StatefulSet;

public sealed partial class StatefulSetControl
{
    /// <summary>
    /// The pod part of a pass (upstream updateStatefulSet). Pods whose ordinal is in range are replicas, the others
    /// are condemned. Missing replicas are created, failed ones deleted; then condemned pods are deleted from the
    /// highest ordinal down; then, for RollingUpdate, the highest-ordinal pod at or above the partition that is not at
    /// the update revision is deleted (it is re-created at the update revision next time). With OrderedReady
    /// (monotonic) every step waits for its predecessors to be Running and Ready and for terminating pods to be gone,
    /// so at most one pod is created or deleted per pass. Returns the status and the first error; never throws for
    /// pod errors.
    /// </summary>
    private async Task<(StatefulSetStatus Status, Exception? Error)> UpdatePodsAsync(JsonObject set, JsonObject currentRevision,
        JsonObject updateRevision, long collisionCount, IReadOnlyList<JsonObject> pods, CancellationToken cancellationToken)
    {
        var currentSet = StatefulSetRevisions.ApplyRevision(set, currentRevision);
        var updateSet = StatefulSetRevisions.ApplyRevision(set, updateRevision);
        var status = new StatefulSetStatus
        {
            ObservedGeneration = set.GetLong("metadata", "generation") ?? 0,
            CurrentRevision = currentRevision.GetName() ?? "",
            UpdateRevision = updateRevision.GetName() ?? "",
            CollisionCount = collisionCount,
        };
        var minReady = set.GetLong("spec", "minReadySeconds") ?? 0;
        var now = timeProvider.GetUtcNow();
        status.Count(minReady, now, pods);

        var (replicas, condemned) = PartitionPods(set, currentSet, updateSet, status, pods);
        var firstUnhealthy = replicas.FirstOrDefault(p => !IsHealthy(p)) ?? condemned.LastOrDefault(p => !IsHealthy(p));
        if (set.GetString("metadata", "deletionTimestamp") is not null)
        {
            return (status, null);
        }
        var monotonic = !AllowsBurst(set);
        var (exit, error) = await RunForAllAsync(replicas.Length,
            i => ProcessReplicaAsync(set, updateSet, monotonic, replicas, i, minReady, now, cancellationToken), monotonic).ConfigureAwait(false);
        if (!exit)
        {
            (exit, error) = await RunForAllAsync(condemned.Count,
                i => ProcessCondemnedAsync(set, firstUnhealthy, monotonic, condemned[i], minReady, now, cancellationToken), monotonic).ConfigureAwait(false);
        }
        status.Count(minReady, now, replicas, condemned);
        if (exit || error is not null || set.GetString("spec", "updateStrategy", "type") == "OnDelete")
        {
            return (status, error);
        }
        return (status, await RollingUpdateAsync(set, replicas, status, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Replicas indexed by ordinal − start (missing ones built at the right revision) and condemned pods, highest ordinal first.</summary>
    private static (JsonObject[] Replicas, List<JsonObject> Condemned) PartitionPods(JsonObject set, JsonObject currentSet, JsonObject updateSet,
        StatefulSetStatus status, IReadOnlyList<JsonObject> pods)
    {
        var start = GetStartOrdinal(set);
        var replicas = new JsonObject?[Math.Max(0, Replicas(set))];
        var condemned = new List<JsonObject>();
        foreach (var pod in pods)
        {
            if (PodInOrdinalRange(pod, set))
            {
                replicas[GetOrdinal(pod) - start] = pod;
            }
            else if (GetOrdinal(pod) >= 0)
            {
                condemned.Add(pod);
            }
        }
        for (var i = 0; i < replicas.Length; i++)
        {
            replicas[i] ??= NewVersionedStatefulSetPod(currentSet, updateSet, status.CurrentRevision, status.UpdateRevision, start + i);
        }
        condemned.Sort((a, b) => GetOrdinal(b).CompareTo(GetOrdinal(a)));
        return ([.. replicas.Select(p => p!)], condemned);
    }

    /// <summary>
    /// One replica slot (upstream processReplica). Returns true when the pass must stop here: a pod was just created
    /// or deleted in monotonic mode, or the pod is not yet Running, Ready and available.
    /// </summary>
    private async Task<bool> ProcessReplicaAsync(JsonObject set, JsonObject updateSet, bool monotonic, JsonObject[] replicas, int i,
        long minReady, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pod = replicas[i];
        if (IsFailed(pod) || IsSucceeded(pod))
        {
            if (!IsTerminating(pod))
            {
                Log.DeletingFinishedPod(logger, set.GetNamespace() ?? "", pod.GetName() ?? "", pod.GetString("status", "phase") ?? "");
                await DeleteIgnoringNotFoundAsync(set, pod, cancellationToken).ConfigureAwait(false);
            }
            return true;
        }
        if (!IsCreated(pod))
        {
            await podControl.CreateStatefulPodAsync(set, pod, cancellationToken).ConfigureAwait(false);
            if (monotonic)
            {
                return true;
            }
        }
        if (monotonic && (IsTerminating(pod) || !IsRunningAndReady(pod) || !IsRunningAndAvailable(pod, minReady, now)))
        {
            Log.WaitingForPod(logger, set.GetNamespace() ?? "", set.GetName() ?? "", pod.GetName() ?? "");
            return true;
        }
        await podControl.UpdatePodClaimForRetentionPolicyAsync(set, pod, cancellationToken).ConfigureAwait(false);
        if (IdentityMatches(set, pod))
        {
            return false;
        }
        await podControl.UpdateStatefulPodAsync(updateSet, pod, cancellationToken).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// One condemned pod (upstream processCondemned): deleted unless, in monotonic mode, a terminating pod is still
    /// going away or this pod is unhealthy while another is the first unhealthy one.
    /// </summary>
    private async Task<bool> ProcessCondemnedAsync(JsonObject set, JsonObject? firstUnhealthy, bool monotonic, JsonObject pod,
        long minReady, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (IsTerminating(pod))
        {
            if (monotonic)
            {
                Log.WaitingForTermination(logger, set.GetNamespace() ?? "", set.GetName() ?? "", pod.GetName() ?? "");
            }
            return monotonic;
        }
        if (monotonic && !ReferenceEquals(pod, firstUnhealthy) && !IsRunningAndAvailable(pod, minReady, now))
        {
            Log.WaitingForPod(logger, set.GetNamespace() ?? "", set.GetName() ?? "", pod.GetName() ?? "");
            return true;
        }
        Log.TerminatingForScaleDown(logger, set.GetNamespace() ?? "", pod.GetName() ?? "");
        await podControl.UpdatePodClaimForRetentionPolicyAsync(set, pod, cancellationToken).ConfigureAwait(false);
        await DeleteIgnoringNotFoundAsync(set, pod, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task DeleteIgnoringNotFoundAsync(JsonObject set, JsonObject pod, CancellationToken cancellationToken)
    {
        try
        {
            await podControl.DeleteStatefulPodAsync(set, pod, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Already gone: what the delete wanted.
        }
    }

    /// <summary>
    /// Runs <paramref name="fn"/> over indices 0..count−1 (upstream runForAll). Monotonic: in order, stopping at the
    /// first that asks to stop or fails. Otherwise: in slow-start parallel batches, stopping after a failing batch.
    /// Returns whether the pass must stop, and the first error.
    /// </summary>
    private static async Task<(bool Exit, Exception? Error)> RunForAllAsync(int count, Func<int, Task<bool>> fn, bool monotonic)
    {
        if (!monotonic)
        {
            var next = -1;
            var (_, error) = await SlowStart.BatchAsync(count, 1, () => fn(Interlocked.Increment(ref next))).ConfigureAwait(false);
            return (error is not null, error);
        }
        for (var i = 0; i < count; i++)
        {
            try
            {
                if (await fn(i).ConfigureAwait(false))
                {
                    return (true, null);
                }
            }
            catch (ApiException e)
            {
                return (true, e);
            }
        }
        return (false, null);
    }
}
