using System.Text.Json.Nodes;
using Berth.Client.Events;
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
/// UpdateStatefulPod, DeleteStatefulPod, recordPodEvent). No PersistentVolumeClaims are created (docs/deviations.md).
/// </remarks>
public sealed class StatefulPodControl(IApiClient client, IEventRecorder recorder)
{
    /// <summary>Creates <paramref name="pod"/>. AlreadyExists propagates without an event (a stale cache; the retry sees the pod).</summary>
    public async Task CreateStatefulPodAsync(JsonObject set, JsonObject pod, CancellationToken cancellationToken)
    {
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
