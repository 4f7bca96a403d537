using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Controllers.Util;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.Controllers.StatefulSet;

/// <summary>
/// Creates, updates and deletes the pods of a StatefulSet and records one event per write on the set
/// (<c>SuccessfulCreate</c>, <c>FailedDelete</c>, …, with upstream's messages). Thread-safe; holds no state.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/statefulset/stateful_pod_control.go (CreateStatefulPod,
/// UpdateStatefulPod, DeleteStatefulPod, recordPodEvent, createPersistentVolumeClaims, recordClaimEvent,
/// UpdatePodClaimForRetentionPolicy).
/// </remarks>
public sealed class StatefulPodControl(IApiClient client, IEventRecorder recorder, ILister? claims = null)
{
    /// <summary>
    /// Creates the pod's missing claims, then <paramref name="pod"/>. AlreadyExists of the pod propagates without an
    /// event (a stale cache; the retry sees the pod). A claim that is being deleted stops the create with an error.
    /// </summary>
    public async Task CreateStatefulPodAsync(JsonObject set, JsonObject pod, CancellationToken cancellationToken)
    {
        await CreatePersistentVolumeClaimsAsync(set, pod, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.CreateAsync(KindRegistry.Pods, set.GetNamespace(), pod, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Reason == StatusReason.AlreadyExists)
        {
            throw;
        }
        catch (ApiException e)
        {
            RecordPodEvent("create", set, pod, e);
            throw;
        }
        RecordPodEvent("create", set, pod, null);
    }

    /// <summary>
    /// Deletes <paramref name="pod"/> gracefully (its own grace period), guarded by its UID. NotFound propagates
    /// so that callers can treat it as done.
    /// </summary>
    public async Task DeleteStatefulPodAsync(JsonObject set, JsonObject pod, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteAsync(KindRegistry.Pods, pod.GetNamespace(), pod.GetName()!, new DeleteOptions(PreconditionUid: pod.GetUid()),
                cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            RecordPodEvent("delete", set, pod, e);
            throw;
        }
        RecordPodEvent("delete", set, pod, null);
    }

    /// <summary>
    /// Restores the identity (name-derived labels) of a live pod whose labels drifted, with read-modify-write and
    /// conflict retries. Pods that are gone or were replaced count as done.
    /// </summary>
    public async Task UpdateStatefulPodAsync(JsonObject set, JsonObject pod, CancellationToken cancellationToken)
    {
        try
        {
            await ObjectUpdater.UpdateAsync(client, KindRegistry.Pods, pod.GetNamespace(), pod.GetName()!, pod.GetUid(), live =>
            {
                if (StatefulSetUtils.IdentityMatches(set, live) && live.GetLabels().ContainsKey(StatefulSetUtils.PodIndexLabel))
                {
                    return false;
                }
                StatefulSetUtils.UpdateIdentity(set, live);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return;
        }
        catch (ApiException e)
        {
            RecordPodEvent("update", set, pod, e);
            throw;
        }
        RecordPodEvent("update", set, pod, null);
    }

    /// <summary>
    /// Creates each claim of <paramref name="pod"/> missing from the cache (AlreadyExists counts as created) with the
    /// owner references its retention policy asks for, recording one event per create.
    /// </summary>
    public async Task CreatePersistentVolumeClaimsAsync(JsonObject set, JsonObject pod, CancellationToken cancellationToken)
    {
        var ordinal = StatefulSetUtils.GetOrdinal(pod);
        foreach (var (_, claim) in StatefulSetStorage.GetPersistentVolumeClaims(set, ordinal))
        {
            var name = claim.GetName()!;
            if (claims?.Get(set.GetNamespace(), name) is { } existing)
            {
                if (existing.GetString("metadata", "deletionTimestamp") is not null)
                {
                    throw ApiErrors.Internal($"pvc {name} is being deleted");
                }
                continue;
            }
            StatefulSetStorage.UpdateClaimOwnerRefs(claim, set, pod, StatefulSetUtils.PodInOrdinalRange(pod, set));
            try
            {
                await client.CreateAsync(KindRegistry.PersistentVolumeClaims, set.GetNamespace(), claim, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.Reason == StatusReason.AlreadyExists)
            {
                continue;
            }
            catch (ApiException e)
            {
                RecordClaimEvent("create", set, pod, name, e);
                throw;
            }
            RecordClaimEvent("create", set, pod, name, null);
        }
    }

    /// <summary>Brings the owner references of the pod's existing claims in line with the set's retention policy.</summary>
    public async Task UpdatePodClaimForRetentionPolicyAsync(JsonObject set, JsonObject pod, CancellationToken cancellationToken)
    {
        var inRange = StatefulSetUtils.PodInOrdinalRange(pod, set);
        foreach (var (_, wanted) in StatefulSetStorage.GetPersistentVolumeClaims(set, StatefulSetUtils.GetOrdinal(pod)))
        {
            if (claims?.Get(set.GetNamespace(), wanted.GetName()!) is not { } cached
                || !StatefulSetStorage.UpdateClaimOwnerRefs((JsonObject)cached.DeepClone(), set, pod, inRange))
            {
                continue;
            }
            try
            {
                await ObjectUpdater.UpdateAsync(client, KindRegistry.PersistentVolumeClaims, set.GetNamespace(), cached.GetName()!, cached.GetUid(),
                    live => StatefulSetStorage.UpdateClaimOwnerRefs(live, set, pod, inRange), cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Deleted meanwhile: nothing to own.
            }
        }
    }

    private void RecordClaimEvent(string verb, JsonObject set, JsonObject pod, string claim, Exception? error)
    {
        var title = char.ToUpperInvariant(verb[0]) + verb[1..];
        if (error is null)
        {
            recorder.Eventf(set, EventTypes.Normal, "Successful" + title, "{0} Claim {1} Pod {2} in StatefulSet {3} success", verb, claim,
                pod.GetName()!, set.GetName()!);
        }
        else
        {
            recorder.Eventf(set, EventTypes.Warning, "Failed" + title, "{0} Claim {1} for Pod {2} in StatefulSet {3} failed error: {4}", verb, claim,
                pod.GetName()!, set.GetName()!, error.Message);
        }
    }

    private void RecordPodEvent(string verb, JsonObject set, JsonObject pod, Exception? error)
    {
        var title = char.ToUpperInvariant(verb[0]) + verb[1..];
        if (error is null)
        {
            recorder.Eventf(set, EventTypes.Normal, "Successful" + title, "{0} Pod {1} in StatefulSet {2} successful", verb, pod.GetName()!, set.GetName()!);
        }
        else
        {
            recorder.Eventf(set, EventTypes.Warning, "Failed" + title, "{0} Pod {1} in StatefulSet {2} failed error: {3}", verb, pod.GetName()!,
                set.GetName()!, error.Message);
        }
    }
}
