using System.Text.Json.Nodes;
using Berth.Controllers.Util;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using k8s.Models;

namespace Berth.Controllers.DaemonSet;

/// <summary>The node counts of a DaemonSet's status.</summary>
public sealed record DaemonSetCounts(int Desired, int Current, int Misscheduled, int Ready, int Updated, int Available)
{
    public int Unavailable => Desired - Available;
}

/// <summary>
/// DaemonSet status by node: a node that should run the daemon counts as desired, as current when it has a pod, and
/// its oldest pod decides ready, available (ready longer than minReadySeconds) and updated (carries the current
/// revision hash); a node with a pod that should not run it is misscheduled. Written through <c>/status</c> only when
/// a count changed or observedGeneration lags; required fields are always written, optional zero counts left out as
/// Go's omitempty does; collisionCount and conditions are kept.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/controller/daemon/daemon_controller.go (updateDaemonSetStatus, storeDaemonSetStatus).</remarks>
internal static class DaemonSetStatusCalculator
{
    public static DaemonSetCounts Calculate(JsonObject ds, DaemonPlacement placement, IReadOnlyList<V1Node> nodes,
        IReadOnlyDictionary<string, List<V1Pod>> nodeToDaemonPods, string hash, DateTimeOffset now)
    {
        var minReady = (int)(ds.GetLong("spec", "minReadySeconds") ?? 0);
        int desired = 0, current = 0, misscheduled = 0, ready = 0, updated = 0, available = 0;
        foreach (var node in nodes)
        {
            var (shouldRun, _) = placement.NodeShouldRunDaemonPod(node);
            var scheduled = nodeToDaemonPods.TryGetValue(node.Metadata.Name, out var pods) && pods.Count > 0;
            if (!shouldRun)
            {
                misscheduled += scheduled ? 1 : 0;
                continue;
            }
            desired++;
            if (!scheduled)
            {
                continue;
            }
            current++;
            var pod = PodByCreationTimestampAndPhase.Sort(pods!)[0];
            if (PodUtil.IsPodReady(pod))
            {
                ready++;
                available += PodUtil.IsPodAvailable(pod, minReady, now) ? 1 : 0;
            }
            updated += DaemonSetUtil.IsPodUpdated(pod, hash) ? 1 : 0;
        }
        return new DaemonSetCounts(desired, current, misscheduled, ready, updated, available);
    }

    /// <summary>The status to write: the cached one with the counts (and, when asked, observedGeneration) replaced.</summary>
    public static JsonObject NewStatus(JsonObject ds, DaemonSetCounts counts, bool updateObservedGeneration)
    {
        var status = ds["status"]?.DeepClone() as JsonObject ?? [];
        status["desiredNumberScheduled"] = counts.Desired;
        status["currentNumberScheduled"] = counts.Current;
        status["numberMisscheduled"] = counts.Misscheduled;
        status["numberReady"] = counts.Ready;
        PutOptional(status, "updatedNumberScheduled", counts.Updated);
        PutOptional(status, "numberAvailable", counts.Available);
        PutOptional(status, "numberUnavailable", counts.Unavailable);
        if (updateObservedGeneration)
        {
            PutOptional(status, "observedGeneration", ds.GetLong("metadata", "generation") ?? 0);
        }
        return status;
    }

    /// <summary>Writes the new status unless nothing changed; on conflict re-reads once and writes over the fresh object.</summary>
    public static async Task StoreAsync(IApiClient client, JsonObject ds, DaemonSetCounts counts, bool updateObservedGeneration,
        CancellationToken cancellationToken)
    {
        var status = NewStatus(ds, counts, updateObservedGeneration);
        var upToDate = (ds.GetLong("status", "observedGeneration") ?? 0) >= (ds.GetLong("metadata", "generation") ?? 0);
        if (JsonNode.DeepEquals(ds["status"], status) && (upToDate || !updateObservedGeneration))
        {
            return;
        }
        var copy = ApiJson.Clone(ds);
        copy["status"] = status;
        try
        {
            await client.UpdateAsync(KindRegistry.DaemonSets, ds.GetNamespace(), copy, "status", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 409)
        {
            var fresh = await client.GetAsync(KindRegistry.DaemonSets, ds.GetNamespace(), ds.GetName()!, cancellationToken).ConfigureAwait(false);
            if (fresh.GetUid() != ds.GetUid())
            {
                return;
            }
            fresh["status"] = NewStatus(fresh, counts, updateObservedGeneration);
            await client.UpdateAsync(KindRegistry.DaemonSets, ds.GetNamespace(), fresh, "status", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private static void PutOptional(JsonObject status, string field, long value)
    {
        if (value != 0)
        {
            status[field] = value;
        }
        else
        {
            status.Remove(field);
        }
    }
}
