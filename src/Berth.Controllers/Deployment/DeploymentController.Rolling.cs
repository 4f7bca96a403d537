using System.Text.Json.Nodes;

namespace Berth.Controllers.Deployment;

public sealed partial class DeploymentController
{
    /// <summary>
    /// RollingUpdate (upstream rolloutRolling): scale the new ReplicaSet up within maxSurge; otherwise scale old ones
    /// down within maxUnavailable (unhealthy replicas first); once complete, clean up history; always sync status.
    /// </summary>
    private async Task RolloutRollingAsync(JsonObject d, List<JsonObject> rsList, CancellationToken cancellationToken)
    {
        var (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, true, cancellationToken).ConfigureAwait(false);
        List<JsonObject?> allRSs = [.. oldRSs, newRS];
        if (await ReconcileNewReplicaSetAsync(allRSs, newRS!, d, cancellationToken).ConfigureAwait(false) ||
            await ReconcileOldReplicaSetsAsync(allRSs, DeploymentUtil.FilterActive(oldRSs), newRS!, d, cancellationToken).ConfigureAwait(false))
        {
            await SyncRolloutStatusAsync(allRSs, newRS, d, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (DeploymentUtil.DeploymentComplete(d, Status(d)))
        {
            await CleanupDeploymentAsync(oldRSs, d, cancellationToken).ConfigureAwait(false);
        }
        await SyncRolloutStatusAsync(allRSs, newRS, d, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> ReconcileNewReplicaSetAsync(List<JsonObject?> allRSs, JsonObject newRS, JsonObject d, CancellationToken cancellationToken)
    {
        var replicas = DeploymentUtil.Replicas(d);
        var current = DeploymentUtil.Replicas(newRS);
        if (current == replicas)
        {
            return false;
        }
        var target = current > replicas ? replicas : DeploymentUtil.NewRSNewReplicas(d, allRSs.OfType<JsonObject>(), newRS);
        return await ScaleReplicaSetAndRecordEventAsync(newRS, target, d, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Scales old ReplicaSets down as far as maxUnavailable allows (upstream reconcileOldReplicaSets).</summary>
    private async Task<bool> ReconcileOldReplicaSetsAsync(List<JsonObject?> allRSs, IReadOnlyList<JsonObject> oldRSs, JsonObject newRS, JsonObject d,
        CancellationToken cancellationToken)
    {
        if (DeploymentUtil.SpecReplicas(oldRSs) == 0)
        {
            return false;
        }
        var minAvailable = DeploymentUtil.Replicas(d) - DeploymentUtil.MaxUnavailable(d);
        var newRSUnavailable = DeploymentUtil.Replicas(newRS) - DeploymentUtil.StatusCount(newRS, "availableReplicas");
        var maxScaledDown = DeploymentUtil.SpecReplicas(allRSs) - minAvailable - newRSUnavailable;
        if (maxScaledDown <= 0)
        {
            return false;
        }
        var cleaned = await CleanupUnhealthyReplicasAsync(oldRSs, d, maxScaledDown, cancellationToken).ConfigureAwait(false);
        var scaledDown = await ScaleDownOldReplicaSetsForRollingUpdateAsync(allRSs, oldRSs, d, cancellationToken).ConfigureAwait(false);
        return cleaned + scaledDown > 0;
    }

    /// <summary>Removes replicas of old sets that are not available, oldest set first, up to <paramref name="maxCleanupCount"/>.</summary>
    private async Task<int> CleanupUnhealthyReplicasAsync(IReadOnlyList<JsonObject> oldRSs, JsonObject d, int maxCleanupCount, CancellationToken cancellationToken)
    {
        var total = 0;
        foreach (var rs in ReplicaSetOrder.ByCreation(oldRSs))
        {
            if (total >= maxCleanupCount)
            {
                break;
            }
            var replicas = DeploymentUtil.Replicas(rs);
            var available = DeploymentUtil.StatusCount(rs, "availableReplicas");
            if (replicas == 0 || replicas == available)
            {
                continue;
            }
            var scaledDown = Math.Min(maxCleanupCount - total, replicas - available);
            await ScaleReplicaSetAndRecordEventAsync(rs, replicas - scaledDown, d, cancellationToken).ConfigureAwait(false);
            total += scaledDown;
        }
        return total;
    }

    /// <summary>Scales old sets down, oldest first, by as many as are available beyond the minimum.</summary>
    private async Task<int> ScaleDownOldReplicaSetsForRollingUpdateAsync(List<JsonObject?> allRSs, IReadOnlyList<JsonObject> oldRSs, JsonObject d,
        CancellationToken cancellationToken)
    {
        var minAvailable = DeploymentUtil.Replicas(d) - DeploymentUtil.MaxUnavailable(d);
        var available = DeploymentUtil.AvailableReplicas(allRSs);
        if (available <= minAvailable)
        {
            return 0;
        }
        var totalScaleDown = available - minAvailable;
        var total = 0;
        foreach (var rs in ReplicaSetOrder.ByCreation(oldRSs))
        {
            if (total >= totalScaleDown)
            {
                break;
            }
            var replicas = DeploymentUtil.Replicas(rs);
            if (replicas == 0)
            {
                continue;
            }
            var scaleDown = Math.Min(replicas, totalScaleDown - total);
            await ScaleReplicaSetAndRecordEventAsync(rs, replicas - scaleDown, d, cancellationToken).ConfigureAwait(false);
            total += scaleDown;
        }
        return total;
    }
}
