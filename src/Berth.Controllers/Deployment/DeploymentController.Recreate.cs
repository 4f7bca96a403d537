using System.Text.Json.Nodes;
using Berth.Controllers.Util;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.Deployment;

public sealed partial class DeploymentController
{
    /// <summary>
    /// Recreate (upstream rolloutRecreate): scale every old ReplicaSet to zero; wait while any pod of an old set is
    /// still there (terminating pods included, finished pods excluded); only then create or scale up the new set.
    /// </summary>
    private async Task RolloutRecreateAsync(JsonObject d, List<JsonObject> rsList, LabelSelector selector, CancellationToken cancellationToken)
    {
        var (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, false, cancellationToken).ConfigureAwait(false);
        var scaledDown = false;
        foreach (var rs in DeploymentUtil.FilterActive(oldRSs))
        {
            scaledDown |= await ScaleReplicaSetAndRecordEventAsync(rs, 0, d, cancellationToken).ConfigureAwait(false);
        }
        if (scaledDown || OldPodsRunning(newRS, oldRSs, d, selector))
        {
            await SyncRolloutStatusAsync([.. oldRSs, newRS], newRS, d, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (newRS is null)
        {
            (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, true, cancellationToken).ConfigureAwait(false);
        }
        await ScaleReplicaSetAndRecordEventAsync(newRS!, DeploymentUtil.Replicas(d), d, cancellationToken).ConfigureAwait(false);
        if (DeploymentUtil.DeploymentComplete(d, Status(d)))
        {
            await CleanupDeploymentAsync(oldRSs, d, cancellationToken).ConfigureAwait(false);
        }
        await SyncRolloutStatusAsync([.. oldRSs, newRS], newRS, d, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether an old ReplicaSet still reports replicas or still has a pod that has not finished (upstream oldPodsRunning).</summary>
    private bool OldPodsRunning(JsonObject? newRS, List<JsonObject> oldRSs, JsonObject d, LabelSelector selector)
    {
        if (DeploymentUtil.ActualReplicas(oldRSs) > 0)
        {
            return true;
        }
        var oldUids = oldRSs.Select(rs => rs.GetUid()).Where(uid => uid != newRS?.GetUid()).ToHashSet();
        return _pods.Lister.List(d.GetNamespace(), selector).Any(pod =>
            OwnerReferences.GetControllerOf(pod)?.GetString("uid") is { } owner && oldUids.Contains(owner) &&
            pod.GetString("status", "phase") is not ("Succeeded" or "Failed"));
    }
}
