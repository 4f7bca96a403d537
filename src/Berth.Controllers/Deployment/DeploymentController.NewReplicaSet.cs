using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Controllers.Util;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.Deployment;

public sealed partial class DeploymentController
{
    /// <summary>
    /// Creates the ReplicaSet for the Deployment's current template (upstream getNewReplicaSet, create branch), sized by
    /// <see cref="DeploymentUtil.NewRSNewReplicas"/>, with revision <paramref name="newRevision"/>. An existing
    /// ReplicaSet of that name which is ours and has our template is taken as created (the cache was behind); any other
    /// is a hash collision: <c>status.collisionCount</c> goes up and the sync is retried with the next hash.
    /// </summary>
    private async Task<JsonObject> CreateNewReplicaSetAsync(JsonObject d, List<JsonObject> oldRSs, long newRevision, CancellationToken cancellationToken)
    {
        var newRS = BuildNewReplicaSet(d);
        var name = newRS.GetName()!;
        newRS.SetPath(DeploymentUtil.NewRSNewReplicas(d, [.. oldRSs, newRS], newRS), "spec", "replicas");
        Annotations.SetNewReplicaSetAnnotations(d, newRS, newRevision, exists: false);
        JsonObject created;
        var alreadyExists = false;
        try
        {
            created = await _client.CreateAsync(KindRegistry.ReplicaSets, d.GetNamespace(), newRS, cancellationToken: cancellationToken).ConfigureAwait(false);
            Log.CreatedReplicaSet(Logger, d.GetNamespace() ?? "", name, d.GetName()!);
        }
        catch (ApiException e) when (e.Code == 409 && e.Reason == StatusReason.AlreadyExists)
        {
            created = await HandleExistingReplicaSetAsync(d, name, cancellationToken).ConfigureAwait(false);
            alreadyExists = true;
        }
        catch (ApiException e)
        {
            await RecordCreateFailureAsync(d, name, e, cancellationToken).ConfigureAwait(false);
            throw;
        }
        var replicas = DeploymentUtil.Replicas(created);
        if (!alreadyExists && replicas > 0)
        {
            _recorder.Eventf(d, EventTypes.Normal, "ScalingReplicaSet", "Scaled up replica set {0} from 0 to {1}", name, replicas);
        }
        var needsUpdate = Annotations.Set(d, Annotations.Revision, newRevision.ToString(CultureInfo.InvariantCulture));
        if (!alreadyExists && DeploymentUtil.HasProgressDeadline(d))
        {
            DeploymentConditions.Set(Status(d), DeploymentConditions.New(DeploymentConditions.Progressing, "True", DeploymentConditions.NewRSReason,
                $"Created new replica set \"{name}\"", _timeProvider.GetUtcNow()));
            needsUpdate = true;
        }
        if (needsUpdate)
        {
            await UpdateDeploymentStatusAsync(d, cancellationToken).ConfigureAwait(false);
        }
        return ApiJson.Clone(created);
    }

    /// <summary>A failed create turns Progressing to False (ReplicaSetCreateError) when the Deployment has a progress deadline.</summary>
    private async Task RecordCreateFailureAsync(JsonObject d, string name, ApiException error, CancellationToken cancellationToken)
    {
        if (DeploymentUtil.HasProgressDeadline(d))
        {
            DeploymentConditions.Set(Status(d), DeploymentConditions.New(DeploymentConditions.Progressing, "False", DeploymentConditions.FailedRSCreateReason,
                $"Failed to create new replica set \"{name}\": {error.Message}", _timeProvider.GetUtcNow()));
            await UpdateDeploymentStatusAsync(d, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The ReplicaSet object for the Deployment's template: hash label on template, selector and labels; owned by the Deployment.</summary>
    private static JsonObject BuildNewReplicaSet(JsonObject d)
    {
        var template = d.GetObject("spec", "template")?.DeepClone().AsObject() ?? [];
        var hash = PodTemplateHash.Compute(d.GetObject("spec", "template"), d.GetLong("status", "collisionCount"));
        template.SetPath(hash, "metadata", "labels", PodTemplateHash.Label);
        var selector = d.GetObject("spec", "selector")?.DeepClone().AsObject() ?? [];
        selector.SetPath(hash, "matchLabels", PodTemplateHash.Label);
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = d.GetName() + "-" + hash,
                ["namespace"] = d.GetNamespace(),
                ["ownerReferences"] = new JsonArray(OwnerReferences.NewControllerRef(d)),
                ["labels"] = template.GetPath("metadata", "labels")?.DeepClone(),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 0,
                ["minReadySeconds"] = d.GetLong("spec", "minReadySeconds") ?? 0,
                ["selector"] = selector,
                ["template"] = template,
            },
        };
    }

    /// <summary>AlreadyExists on create: ours (return it) or a collision (bump collisionCount, then throw to retry).</summary>
    private async Task<JsonObject> HandleExistingReplicaSetAsync(JsonObject d, string name, CancellationToken cancellationToken)
    {
        var rs = _replicaSets.Lister.Get(d.GetNamespace(), name) ??
            await _client.GetAsync(KindRegistry.ReplicaSets, d.GetNamespace(), name, cancellationToken).ConfigureAwait(false);
        if (OwnerReferences.GetControllerOf(rs)?.GetString("uid") == d.GetUid() &&
            PodTemplateHash.EqualIgnoreHash(d.GetObject("spec", "template"), rs.GetObject("spec", "template")))
        {
            return rs;
        }
        var count = (d.GetLong("status", "collisionCount") ?? 0) + 1;
        Status(d)["collisionCount"] = count;
        Log.HashCollision(Logger, d.GetNamespace() ?? "", name, count);
        await UpdateDeploymentStatusAsync(d, cancellationToken).ConfigureAwait(false);
        throw ApiErrors.AlreadyExists(KindRegistry.ReplicaSets, name);
    }
}
