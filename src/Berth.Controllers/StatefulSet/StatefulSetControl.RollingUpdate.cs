using System.Text.Json.Nodes;
using Berth.Controllers.Deployment;
using Berth.Machinery.Errors;
using Berth.Machinery.Serialization;
using Microsoft.Extensions.Logging;
using static Berth.Controllers.StatefulSet.StatefulPodState;
using static Berth.Controllers.StatefulSet.StatefulSetUtils;

namespace Berth.Controllers.StatefulSet;

/// <remarks>
/// Mirrors the RollingUpdate tail of kubernetes/kubernetes pkg/controller/statefulset/stateful_set_control.go
/// (updateStatefulSet, updateStatefulSetAfterInvariantEstablished, getStatefulSetMaxUnavailable).
/// </remarks>
public sealed partial class StatefulSetControl
{
    /// <summary>
    /// Deletes the highest-ordinal replica at or above the partition that is not at the update revision, one per
    /// pass, after every higher one is healthy (upstream's tail of updateStatefulSet). Returns the delete error, if any.
    /// </summary>
    private async Task<Exception?> RollingUpdateAsync(JsonObject set, JsonObject[] replicas, StatefulSetStatus status, CancellationToken cancellationToken)
    {
        if (set.GetPath("spec", "updateStrategy", "rollingUpdate", "maxUnavailable") is { } maxUnavailable)
        {
            return await UpdateStatefulSetAfterInvariantEstablishedAsync(set, replicas, status, maxUnavailable, cancellationToken).ConfigureAwait(false);
        }
        for (var target = replicas.Length - 1; target >= Partition(set); target--)
        {
            var pod = replicas[target];
            if (GetPodRevision(pod) != status.UpdateRevision && !IsTerminating(pod))
            {
                Log.TerminatingForUpdate(logger, set.GetNamespace() ?? "", pod.GetName() ?? "", status.UpdateRevision);
                try
                {
                    await DeleteIgnoringNotFoundAsync(set, pod, cancellationToken).ConfigureAwait(false);
                    status.CurrentReplicas--;
                    return null;
                }
                catch (ApiException e)
                {
                    return e;
                }
            }
            if (!IsHealthy(pod))
            {
                Log.WaitingForPod(logger, set.GetNamespace() ?? "", set.GetName() ?? "", pod.GetName() ?? "");
                return null;
            }
        }
        return null;
    }

    /// <summary>
    /// RollingUpdate with <c>maxUnavailable</c> set (upstream's MaxUnavailableStatefulSet path): while fewer than
    /// maxUnavailable replicas are unhealthy, deletes up to the difference of pods at or above the partition that are
    /// not at the update revision, highest ordinal first. Returns the first delete error.
    /// </summary>
    private async Task<Exception?> UpdateStatefulSetAfterInvariantEstablishedAsync(JsonObject set, JsonObject[] replicas, StatefulSetStatus status,
        JsonNode maxUnavailableValue, CancellationToken cancellationToken)
    {
        var maxUnavailable = Math.Max(1, DeploymentUtil.GetScaledValueFromIntOrPercent(maxUnavailableValue, replicas.Length, roundUp: false));
        var podsToDelete = maxUnavailable - replicas.Count(p => !IsHealthy(p));
        for (var target = replicas.Length - 1; target >= Partition(set) && podsToDelete > 0; target--)
        {
            var pod = replicas[target];
            if (GetPodRevision(pod) == status.UpdateRevision || IsTerminating(pod))
            {
                continue;
            }
            Log.TerminatingForUpdate(logger, set.GetNamespace() ?? "", pod.GetName() ?? "", status.UpdateRevision);
            try
            {
                await DeleteIgnoringNotFoundAsync(set, pod, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e)
            {
                return e;
            }
            podsToDelete--;
            status.CurrentReplicas--;
        }
        return null;
    }
}
