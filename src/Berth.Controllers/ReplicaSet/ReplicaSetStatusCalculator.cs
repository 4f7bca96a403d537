using System.Text.Json.Nodes;
using Berth.Controllers.Scheduling;
using Berth.Controllers.Util;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using k8s.Models;

namespace Berth.Controllers.ReplicaSet;

/// <summary>
/// ReplicaSet status from the claimed active pods: replicas, fullyLabeledReplicas (pods carrying every template
/// label), readyReplicas, availableReplicas (ready for longer than minReadySeconds), observedGeneration and the
/// ReplicaFailure condition (set on a failed create or delete, removed once a sync manages without error). Zero
/// counts are left out, as Go's omitempty does, so that a status that did not change is not written.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/controller/replicaset/replica_set_utils.go (calculateStatus,
/// updateReplicaSetStatus).</remarks>
internal static class ReplicaSetStatusCalculator
{
    public static JsonObject Calculate(JsonObject rs, IReadOnlyList<V1Pod> pods, Exception? manageError, bool creating, DateTimeOffset now)
    {
        var templateLabels = (rs.GetObject("spec", "template") ?? []).GetLabels();
        var minReady = (int)(rs.GetLong("spec", "minReadySeconds") ?? 0);
        var status = new JsonObject { ["replicas"] = pods.Count };
        PutCount(status, "fullyLabeledReplicas", pods.Count(p => templateLabels.All(l => p.Metadata.Labels?.TryGetValue(l.Key, out var v) == true && v == l.Value)));
        PutCount(status, "readyReplicas", pods.Count(PodUtil.IsPodReady));
        PutCount(status, "availableReplicas", pods.Count(p => PodUtil.IsPodAvailable(p, minReady, now)));
        PutCount(status, "observedGeneration", rs.GetLong("metadata", "generation") ?? 0);
        var conditions = (rs.GetArray("status", "conditions") ?? []).OfType<JsonObject>().Select(c => c.DeepClone().AsObject()).ToList();
        var failure = conditions.FirstOrDefault(c => c.GetString("type") == "ReplicaFailure");
        if (manageError is not null && failure is null)
        {
            conditions.Add(new JsonObject
            {
                ["type"] = "ReplicaFailure", ["status"] = "True", ["lastTransitionTime"] = MetaTimes.Format(now),
                ["reason"] = creating ? "FailedCreate" : "FailedDelete", ["message"] = manageError.Message,
            });
        }
        else if (manageError is null && failure is not null)
        {
            conditions.Remove(failure);
        }
        if (conditions.Count > 0)
        {
            status["conditions"] = new JsonArray([.. conditions]);
        }
        return status;
    }

    /// <summary>Writes <paramref name="status"/> through <c>/status</c> unless it equals the cached one; retries once on conflict.</summary>
    public static async Task UpdateAsync(IApiClient client, JsonObject rs, JsonObject status, CancellationToken cancellationToken)
    {
        if (JsonNode.DeepEquals(rs["status"], status))
        {
            return;
        }
        var copy = ApiJson.Clone(rs);
        copy["status"] = status;
        try
        {
            await client.UpdateAsync(KindRegistry.ReplicaSets, rs.GetNamespace(), copy, "status", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 409)
        {
            var fresh = await client.GetAsync(KindRegistry.ReplicaSets, rs.GetNamespace(), rs.GetName()!, cancellationToken).ConfigureAwait(false);
            if (fresh.GetUid() != rs.GetUid())
            {
                return;
            }
            fresh["status"] = status.DeepClone();
            await client.UpdateAsync(KindRegistry.ReplicaSets, rs.GetNamespace(), fresh, "status", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private static void PutCount(JsonObject status, string field, long value)
    {
        if (value != 0)
        {
            status[field] = value;
        }
    }
}
