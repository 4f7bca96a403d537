using System.Text.Json.Nodes;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.Deployment;

public sealed partial class DeploymentController
{
    /// <summary>Writes the status computed from the ReplicaSets when it differs (upstream syncDeploymentStatus).</summary>
    private async Task SyncDeploymentStatusAsync(IReadOnlyList<JsonObject?> allRSs, JsonObject? newRS, JsonObject d, CancellationToken cancellationToken)
    {
        var newStatus = CalculateStatus(allRSs, newRS, d);
        if (JsonNode.DeepEquals(d["status"], newStatus))
        {
            return;
        }
        d["status"] = newStatus;
        await UpdateDeploymentStatusAsync(d, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Status plus the Progressing condition (upstream syncRolloutStatus): NewReplicaSetAvailable once complete,
    /// ReplicaSetUpdated while progressing (lastUpdateTime moves), ProgressDeadlineExceeded once the last progress is
    /// older than progressDeadlineSeconds; ReplicaFailure copied from the ReplicaSets. An unchanged status is not
    /// written, and a rollout in progress is re-queued for the moment its deadline passes.
    /// </summary>
    private async Task SyncRolloutStatusAsync(IReadOnlyList<JsonObject?> allRSs, JsonObject? newRS, JsonObject d, CancellationToken cancellationToken)
    {
        var newStatus = CalculateStatus(allRSs, newRS, d);
        var now = _timeProvider.GetUtcNow();
        if (!DeploymentUtil.HasProgressDeadline(d))
        {
            DeploymentConditions.Remove(newStatus, DeploymentConditions.Progressing);
        }
        var current = DeploymentConditions.Get(newStatus, DeploymentConditions.Progressing);
        var isComplete = (newStatus.GetLong("replicas") ?? 0) == (newStatus.GetLong("updatedReplicas") ?? 0) &&
            current?.GetString("reason") == DeploymentConditions.NewRSAvailableReason;
        if (DeploymentUtil.HasProgressDeadline(d) && !isComplete)
        {
            UpdateProgressingCondition(d, newStatus, newRS, current, now);
        }
        var failure = allRSs.OfType<JsonObject>().OrderBy(rs => ReferenceEquals(rs, newRS) ? 0 : 1)
            .Select(rs => DeploymentConditions.Get(rs["status"] as JsonObject, DeploymentConditions.ReplicaFailure)).FirstOrDefault(c => c is not null);
        if (failure is not null)
        {
            DeploymentConditions.Set(newStatus, DeploymentConditions.New(DeploymentConditions.ReplicaFailure, failure.GetString("status") ?? "True",
                failure.GetString("reason") ?? "", failure.GetString("message") ?? "", now));
        }
        else
        {
            DeploymentConditions.Remove(newStatus, DeploymentConditions.ReplicaFailure);
        }
        if (JsonNode.DeepEquals(d["status"], newStatus))
        {
            RequeueStuckDeployment(d, newStatus, now);
            return;
        }
        d["status"] = newStatus;
        await UpdateDeploymentStatusAsync(d, cancellationToken).ConfigureAwait(false);
    }

    private static void UpdateProgressingCondition(JsonObject d, JsonObject newStatus, JsonObject? newRS, JsonObject? current, DateTimeOffset now)
    {
        var subject = newRS is null ? $"Deployment \"{d.GetName()}\"" : $"ReplicaSet \"{newRS.GetName()}\"";
        if (DeploymentUtil.DeploymentComplete(d, newStatus))
        {
            DeploymentConditions.Set(newStatus, DeploymentConditions.New(DeploymentConditions.Progressing, "True",
                DeploymentConditions.NewRSAvailableReason, $"{subject} has successfully progressed.", now));
        }
        else if (DeploymentUtil.DeploymentProgressing(d, newStatus))
        {
            var condition = DeploymentConditions.New(DeploymentConditions.Progressing, "True", DeploymentConditions.ReplicaSetUpdatedReason,
                $"{subject} is progressing.", now);
            if (current?.GetString("status") == "True")
            {
                condition["lastTransitionTime"] = current["lastTransitionTime"]?.DeepClone();
            }
            DeploymentConditions.Remove(newStatus, DeploymentConditions.Progressing);
            DeploymentConditions.Set(newStatus, condition);
        }
        else if (DeploymentUtil.DeploymentTimedOut(new JsonObject { ["spec"] = d["spec"]?.DeepClone(), ["status"] = newStatus.DeepClone() }, now))
        {
            DeploymentConditions.Set(newStatus, DeploymentConditions.New(DeploymentConditions.Progressing, "False",
                DeploymentConditions.TimedOutReason, $"{subject} has timed out progressing.", now));
        }
    }

    /// <summary>A rollout that is still progressing is looked at again when its progress deadline would pass (upstream requeueStuckDeployment).</summary>
    private void RequeueStuckDeployment(JsonObject d, JsonObject newStatus, DateTimeOffset now)
    {
        var current = DeploymentConditions.Get(newStatus, DeploymentConditions.Progressing);
        if (!DeploymentUtil.HasProgressDeadline(d) || current is null || current.GetString("reason") == DeploymentConditions.TimedOutReason ||
            DeploymentUtil.DeploymentComplete(d, newStatus) || DeploymentConditions.LastUpdateTime(current) is not { } lastUpdate)
        {
            return;
        }
        var deadline = lastUpdate.AddSeconds(d.GetLong("spec", "progressDeadlineSeconds")!.Value);
        var key = new ObjectKey(d.GetNamespace() ?? "", d.GetName()!);
        if (deadline - now < TimeSpan.FromSeconds(1))
        {
            Queue.AddRateLimited(key);
            return;
        }
        Queue.AddAt(key, deadline + TimeSpan.FromSeconds(1));
    }

    /// <summary>ObservedGeneration, the replica counts over all ReplicaSets, collisionCount and the Available condition (upstream calculateStatus).</summary>
    private JsonObject CalculateStatus(IReadOnlyList<JsonObject?> allRSs, JsonObject? newRS, JsonObject d)
    {
        var available = DeploymentUtil.AvailableReplicas(allRSs);
        var status = new JsonObject();
        PutCount(status, "observedGeneration", d.GetLong("metadata", "generation") ?? 0);
        PutCount(status, "replicas", DeploymentUtil.ActualReplicas(allRSs));
        PutCount(status, "updatedReplicas", DeploymentUtil.ActualReplicas([newRS]));
        PutCount(status, "readyReplicas", DeploymentUtil.ReadyReplicas(allRSs));
        PutCount(status, "availableReplicas", available);
        PutCount(status, "unavailableReplicas", Math.Max(0, DeploymentUtil.SpecReplicas(allRSs) - available));
        if (d.GetPath("status", "conditions") is JsonArray conditions && conditions.Count > 0)
        {
            status["conditions"] = conditions.DeepClone();
        }
        if (d.GetPath("status", "collisionCount") is { } collisions)
        {
            status["collisionCount"] = collisions.DeepClone();
        }
        var now = _timeProvider.GetUtcNow();
        DeploymentConditions.Set(status, available >= DeploymentUtil.Replicas(d) - DeploymentUtil.MaxUnavailable(d)
            ? DeploymentConditions.New(DeploymentConditions.Available, "True", DeploymentConditions.MinimumReplicasAvailable, "Deployment has minimum availability.", now)
            : DeploymentConditions.New(DeploymentConditions.Available, "False", DeploymentConditions.MinimumReplicasUnavailable, "Deployment does not have minimum availability.", now));
        return status;
    }

    /// <summary>Records pause and resume in the Progressing condition (upstream checkPausedConditions); never over a timeout.</summary>
    private async Task CheckPausedConditionsAsync(JsonObject d, CancellationToken cancellationToken)
    {
        if (!DeploymentUtil.HasProgressDeadline(d))
        {
            return;
        }
        var cond = DeploymentConditions.Get(d["status"] as JsonObject, DeploymentConditions.Progressing);
        if (cond?.GetString("reason") == DeploymentConditions.TimedOutReason)
        {
            return;
        }
        var paused = d.GetBool("spec", "paused") == true;
        var pausedCondExists = cond?.GetString("reason") == DeploymentConditions.PausedDeployReason;
        JsonObject? condition = null;
        if (paused && !pausedCondExists)
        {
            condition = DeploymentConditions.New(DeploymentConditions.Progressing, "Unknown", DeploymentConditions.PausedDeployReason, "Deployment is paused",
                _timeProvider.GetUtcNow());
        }
        else if (!paused && pausedCondExists)
        {
            condition = DeploymentConditions.New(DeploymentConditions.Progressing, "Unknown", DeploymentConditions.ResumedDeployReason, "Deployment is resumed",
                _timeProvider.GetUtcNow());
        }
        if (condition is null)
        {
            return;
        }
        DeploymentConditions.Set(Status(d), condition);
        await UpdateDeploymentStatusAsync(d, cancellationToken).ConfigureAwait(false);
    }

    private static void PutCount(JsonObject status, string field, long value)
    {
        if (value != 0)
        {
            status[field] = value;
        }
    }
}
