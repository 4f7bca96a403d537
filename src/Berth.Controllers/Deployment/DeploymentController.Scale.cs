using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.Controllers.Deployment;

public sealed partial class DeploymentController
{
    /// <summary>Paused or scaling: resize without rolling, clean up history when paused, then write status (upstream sync).</summary>
    private async Task SyncScaleAsync(JsonObject d, List<JsonObject> rsList, CancellationToken cancellationToken)
    {
        var (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, false, cancellationToken).ConfigureAwait(false);
        await ScaleAsync(d, newRS, oldRSs, cancellationToken).ConfigureAwait(false);
        if (d.GetBool("spec", "paused") == true)
        {
            await CleanupDeploymentAsync(oldRSs, d, cancellationToken).ConfigureAwait(false);
        }
        await SyncDeploymentStatusAsync([.. oldRSs, newRS], newRS, d, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A ReplicaSet was sized for another desired count than the Deployment now has (upstream isScalingEvent).</summary>
    private async Task<bool> IsScalingEventAsync(JsonObject d, List<JsonObject> rsList, CancellationToken cancellationToken)
    {
        var (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, false, cancellationToken).ConfigureAwait(false);
        return DeploymentUtil.FilterActive([.. oldRSs, newRS])
            .Any(rs => Annotations.GetInt(rs, Annotations.DesiredReplicas) is { } desired && desired != DeploymentUtil.Replicas(d));
    }

    /// <summary>
    /// Scales to the Deployment's size: the single active (or latest) ReplicaSet directly; with a saturated new set the
    /// old ones to zero; otherwise the replicas to add or remove are spread in proportion to each set's size (upstream scale).
    /// </summary>
    private async Task ScaleAsync(JsonObject d, JsonObject? newRS, List<JsonObject> oldRSs, CancellationToken cancellationToken)
    {
        var replicas = DeploymentUtil.Replicas(d);
        if (DeploymentUtil.FindActiveOrLatest(newRS, oldRSs) is { } activeOrLatest)
        {
            await ScaleReplicaSetAndRecordEventAsync(activeOrLatest, replicas, d, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (DeploymentUtil.IsSaturated(d, newRS))
        {
            foreach (var old in DeploymentUtil.FilterActive(oldRSs))
            {
                await ScaleReplicaSetAndRecordEventAsync(old, 0, d, cancellationToken).ConfigureAwait(false);
            }
            return;
        }
        if (!DeploymentUtil.IsRollingUpdate(d))
        {
            return;
        }
        var active = DeploymentUtil.FilterActive([.. oldRSs, newRS]);
        var allowedSize = replicas > 0 ? replicas + DeploymentUtil.MaxSurge(d) : 0;
        var toAdd = allowedSize - DeploymentUtil.SpecReplicas(active);
        var ordered = toAdd > 0 ? ReplicaSetOrder.BySizeNewer(active) : ReplicaSetOrder.BySizeOlder(active);
        var sizes = new Dictionary<string, int>();
        var added = 0;
        foreach (var rs in ordered)
        {
            var proportion = DeploymentUtil.GetProportion(rs, d, toAdd, added);
            sizes[rs.GetName()!] = DeploymentUtil.Replicas(rs) + proportion;
            added += proportion;
        }
        if (added != toAdd && ordered.Count > 0)
        {
            var first = ordered[0].GetName()!;
            sizes[first] = Math.Max(0, sizes[first] + toAdd - added);
        }
        foreach (var rs in ordered)
        {
            await ScaleReplicaSetAsync(rs, sizes[rs.GetName()!], d, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Scales when the size differs; returns whether it did.</summary>
    private async Task<bool> ScaleReplicaSetAndRecordEventAsync(JsonObject rs, int newScale, JsonObject d, CancellationToken cancellationToken) =>
        DeploymentUtil.Replicas(rs) != newScale && await ScaleReplicaSetAsync(rs, newScale, d, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Writes the size and the desired/max replica annotations (when either differs), folds the result into
    /// <paramref name="rs"/>, and records ScalingReplicaSet on a size change. Returns whether the size changed.
    /// </summary>
    private async Task<bool> ScaleReplicaSetAsync(JsonObject rs, int newScale, JsonObject d, CancellationToken cancellationToken)
    {
        var oldScale = DeploymentUtil.Replicas(rs);
        var copy = ApiJson.Clone(rs);
        var annotationsChanged = Annotations.SetReplicasAnnotations(copy, DeploymentUtil.Replicas(d), DeploymentUtil.Replicas(d) + DeploymentUtil.MaxSurge(d));
        if (oldScale == newScale && !annotationsChanged)
        {
            return false;
        }
        copy.SetPath(newScale, "spec", "replicas");
        Log.Scaling(Logger, rs.GetNamespace() ?? "", rs.GetName()!, oldScale, newScale);
        var written = await _client.UpdateAsync(KindRegistry.ReplicaSets, rs.GetNamespace(), copy, cancellationToken: cancellationToken).ConfigureAwait(false);
        Replace(rs, ApiJson.Clone(written));
        if (oldScale == newScale)
        {
            return false;
        }
        _recorder.Eventf(d, EventTypes.Normal, "ScalingReplicaSet", "Scaled {0} replica set {1} from {2} to {3}",
            newScale > oldScale ? "up" : "down", rs.GetName(), oldScale, newScale);
        return true;
    }

    /// <summary>Deletes the oldest empty old ReplicaSets beyond revisionHistoryLimit (upstream cleanupDeployment).</summary>
    private async Task CleanupDeploymentAsync(List<JsonObject> oldRSs, JsonObject d, CancellationToken cancellationToken)
    {
        if (d.GetLong("spec", "revisionHistoryLimit") is not { } limit)
        {
            return;
        }
        var cleanable = oldRSs.Where(rs => rs.GetString("metadata", "deletionTimestamp") is null).ToList();
        var diff = cleanable.Count - (int)limit;
        foreach (var rs in ReplicaSetOrder.ByRevision(cleanable).Take(Math.Max(0, diff)))
        {
            if (DeploymentUtil.StatusCount(rs, "replicas") != 0 || DeploymentUtil.Replicas(rs) != 0 ||
                (rs.GetLong("metadata", "generation") ?? 0) > (rs.GetLong("status", "observedGeneration") ?? 0))
            {
                continue;
            }
            Log.CleaningUp(Logger, rs.GetNamespace() ?? "", rs.GetName()!);
            try
            {
                await _client.DeleteAsync(KindRegistry.ReplicaSets, rs.GetNamespace(), rs.GetName()!, new DeleteOptions(PreconditionUid: rs.GetUid()),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.Code is 404 or 409)
            {
                // Already gone.
            }
        }
    }
}
