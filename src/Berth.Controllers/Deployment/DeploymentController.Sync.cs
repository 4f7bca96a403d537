using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Controllers.Util;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.Controllers.Deployment;

public sealed partial class DeploymentController
{
    /// <summary>
    /// One level-triggered pass over a Deployment (upstream syncDeployment): claim ReplicaSets; a Deployment being
    /// deleted only gets status; record pause/resume; paused Deployments and scaling events resize without rolling;
    /// otherwise run the strategy.
    /// </summary>
    protected override async Task SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        if (_deployments.Lister.Get(key.Namespace, key.Name) is not { } cached)
        {
            return;
        }
        var d = ApiJson.Clone(cached);
        var selector = LabelSelector.FromLabelSelectorJson(d.GetObject("spec", "selector"));
        if (selector.IsEmpty)
        {
            _recorder.Event(d, EventTypes.Warning, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
            return;
        }
        var rsList = await GetReplicaSetsForDeploymentAsync(d, selector, cancellationToken).ConfigureAwait(false);
        if (d.GetString("metadata", "deletionTimestamp") is not null)
        {
            var (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, false, cancellationToken).ConfigureAwait(false);
            await SyncDeploymentStatusAsync([.. oldRSs, newRS], newRS, d, cancellationToken).ConfigureAwait(false);
            return;
        }
        await CheckPausedConditionsAsync(d, cancellationToken).ConfigureAwait(false);
        if (d.GetBool("spec", "paused") == true || await IsScalingEventAsync(d, rsList, cancellationToken).ConfigureAwait(false))
        {
            await SyncScaleAsync(d, rsList, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (DeploymentUtil.IsRollingUpdate(d))
        {
            await RolloutRollingAsync(d, rsList, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await RolloutRecreateAsync(d, rsList, selector, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The ReplicaSets this Deployment owns after adoption and release, as deep copies the sync may mutate.</summary>
    private async Task<List<JsonObject>> GetReplicaSetsForDeploymentAsync(JsonObject d, LabelSelector selector, CancellationToken cancellationToken)
    {
        var manager = new ControllerRefManager(_client, KindRegistry.ReplicaSets, d, selector, async ct =>
        {
            try
            {
                var fresh = await _client.GetAsync(KindRegistry.Deployments, d.GetNamespace(), d.GetName()!, ct).ConfigureAwait(false);
                return fresh.GetUid() == d.GetUid() && fresh.GetString("metadata", "deletionTimestamp") is null;
            }
            catch (ApiException e) when (e.Code == 404)
            {
                return false;
            }
        });
        var claimed = await manager.ClaimAsync(_replicaSets.Lister.List(d.GetNamespace()), cancellationToken).ConfigureAwait(false);
        return [.. claimed.Select(ApiJson.Clone)];
    }

    /// <summary>
    /// Splits <paramref name="rsList"/> into the new ReplicaSet (the oldest whose template equals the Deployment's) and
    /// the old ones, syncs revision annotations, and creates the new one when <paramref name="createIfNotExisted"/>.
    /// </summary>
    private async Task<(JsonObject? NewRS, List<JsonObject> OldRSs)> GetAllReplicaSetsAndSyncRevisionAsync(JsonObject d, List<JsonObject> rsList,
        bool createIfNotExisted, CancellationToken cancellationToken)
    {
        var template = d.GetObject("spec", "template");
        var existing = ReplicaSetOrder.ByCreation(rsList).FirstOrDefault(rs => PodTemplateHash.EqualIgnoreHash(rs.GetObject("spec", "template"), template));
        var oldRSs = rsList.Where(rs => !ReferenceEquals(rs, existing)).ToList();
        var newRevision = (oldRSs.Count == 0 ? 0 : oldRSs.Max(Annotations.RevisionOf)) + 1;
        if (existing is not null)
        {
            await SyncExistingNewReplicaSetAsync(d, existing, newRevision, cancellationToken).ConfigureAwait(false);
            return (existing, oldRSs);
        }
        if (!createIfNotExisted)
        {
            return (null, oldRSs);
        }
        var created = await CreateNewReplicaSetAsync(d, oldRSs, newRevision, cancellationToken).ConfigureAwait(false);
        rsList.Add(created);
        return (created, oldRSs);
    }

    /// <summary>Brings the existing new ReplicaSet's annotations and minReadySeconds up to date, then the Deployment's revision.</summary>
    private async Task SyncExistingNewReplicaSetAsync(JsonObject d, JsonObject rs, long newRevision, CancellationToken cancellationToken)
    {
        var copy = ApiJson.Clone(rs);
        var annotationsUpdated = Annotations.SetNewReplicaSetAnnotations(d, copy, newRevision, exists: true);
        var minReady = d.GetLong("spec", "minReadySeconds") ?? 0;
        if (annotationsUpdated || (copy.GetLong("spec", "minReadySeconds") ?? 0) != minReady)
        {
            copy.SetPath(minReady, "spec", "minReadySeconds");
            var written = await _client.UpdateAsync(KindRegistry.ReplicaSets, rs.GetNamespace(), copy, cancellationToken: cancellationToken).ConfigureAwait(false);
            Replace(rs, written);
            return;
        }
        var needsUpdate = Annotations.Set(d, Annotations.Revision, Annotations.Get(rs, Annotations.Revision) ?? "");
        if (DeploymentUtil.HasProgressDeadline(d) && DeploymentConditions.Get(Status(d), DeploymentConditions.Progressing) is null)
        {
            DeploymentConditions.Set(Status(d), DeploymentConditions.New(DeploymentConditions.Progressing, "True", DeploymentConditions.FoundNewRSReason,
                $"Found new replica set \"{rs.GetName()}\"", _timeProvider.GetUtcNow()));
            needsUpdate = true;
        }
        if (needsUpdate)
        {
            await UpdateDeploymentStatusAsync(d, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The Deployment's status object (created when missing), for in-place edits of the sync's copy.</summary>
    private static JsonObject Status(JsonObject d)
    {
        if (d["status"] is not JsonObject status)
        {
            status = [];
            d["status"] = status;
        }
        return status;
    }

    /// <summary>
    /// Writes the copy's revision annotation (a merge patch, when it differs from the cached Deployment's: our
    /// <c>/status</c> keeps the stored metadata) and then its status through <c>/status</c>, folding each new
    /// resourceVersion back into the copy. A conflict throws and re-queues the sync.
    /// </summary>
    private async Task UpdateDeploymentStatusAsync(JsonObject d, CancellationToken cancellationToken)
    {
        var revision = Annotations.Get(d, Annotations.Revision);
        var cached = _deployments.Lister.Get(d.GetNamespace(), d.GetName()!);
        if (revision is not null && (cached is null || Annotations.Get(cached, Annotations.Revision) != revision))
        {
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["resourceVersion"] = d.GetResourceVersion(),
                    ["annotations"] = new JsonObject { [Annotations.Revision] = revision },
                },
            };
            var patched = await _client.PatchAsync(KindRegistry.Deployments, d.GetNamespace(), d.GetName()!, PatchType.Merge, patch,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            d.Metadata()["resourceVersion"] = patched.GetResourceVersion();
        }
        var written = await _client.UpdateAsync(KindRegistry.Deployments, d.GetNamespace(), ApiJson.Clone(d), "status", cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        d.Metadata()["resourceVersion"] = written.GetResourceVersion();
    }

    /// <summary>Makes <paramref name="target"/> (a sync's copy) equal to <paramref name="written"/>.</summary>
    private static void Replace(JsonObject target, JsonObject written)
    {
        target.Clear();
        foreach (var (name, value) in written)
        {
            target[name] = value?.DeepClone();
        }
    }
}
