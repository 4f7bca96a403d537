using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Controllers.Util;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;
using Berth.Registry;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.ReplicaSet;

public sealed partial class ReplicaSetController
{
    /// <summary>
    /// One level-triggered pass over a ReplicaSet (upstream syncReplicaSet): claim the active pods, create or delete
    /// when the expectations are satisfied and the set is not being deleted, write status, and re-queue when pods
    /// become available after minReadySeconds. A create or delete error is thrown after status was written.
    /// </summary>
    protected override async Task SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var rs = _replicaSets.Lister.Get(key.Namespace, key.Name);
        if (rs is null)
        {
            Expectations.DeleteExpectations(key);
            return;
        }
        var needsSync = Expectations.SatisfiedExpectations(key);
        var selector = LabelSelector.FromLabelSelectorJson(rs.GetObject("spec", "selector"));
        var active = _pods.Lister.List(key.Namespace).Where(PodUtil.IsPodActive).ToList();
        var manager = new ControllerRefManager(_client, KindRegistry.Pods, rs, selector, ct => CanAdoptAsync(rs, ct));
        var claimed = await manager.ClaimAsync(active, cancellationToken).ConfigureAwait(false);
        var pods = claimed.Select(_podModels.ToModel).ToList();

        Exception? manageError = null;
        if (needsSync && rs.GetString("metadata", "deletionTimestamp") is null)
        {
            manageError = await ManageReplicasAsync(key, rs, pods, cancellationToken).ConfigureAwait(false);
        }
        var replicas = (int)(rs.GetLong("spec", "replicas") ?? 1);
        var status = ReplicaSetStatusCalculator.Calculate(rs, pods, manageError, pods.Count < replicas, _timeProvider.GetUtcNow());
        await ReplicaSetStatusCalculator.UpdateAsync(_client, rs, status, cancellationToken).ConfigureAwait(false);
        var minReady = rs.GetLong("spec", "minReadySeconds") ?? 0;
        if (manageError is null && minReady > 0 && ReadyEqualsReplicasButNotAvailable(status))
        {
            Queue.AddAfter(key, TimeSpan.FromSeconds(minReady));
        }
        if (manageError is not null)
        {
            throw manageError;
        }
    }

    private static bool ReadyEqualsReplicasButNotAvailable(JsonObject status)
    {
        var replicas = status.GetLong("replicas") ?? 0;
        return (status.GetLong("readyReplicas") ?? 0) == replicas && (status.GetLong("availableReplicas") ?? 0) != replicas;
    }

    /// <summary>Live re-read before the first adoption: a ReplicaSet being deleted (or replaced) adopts nothing.</summary>
    private async Task<bool> CanAdoptAsync(JsonObject rs, CancellationToken cancellationToken)
    {
        try
        {
            var fresh = await _client.GetAsync(KindRegistry.ReplicaSets, rs.GetNamespace(), rs.GetName()!, cancellationToken).ConfigureAwait(false);
            return fresh.GetUid() == rs.GetUid() && fresh.GetString("metadata", "deletionTimestamp") is null;
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return false;
        }
    }

    /// <summary>Creates or deletes pods towards spec.replicas; returns the first error (expectations already lowered for it).</summary>
    private async Task<Exception?> ManageReplicasAsync(ObjectKey key, JsonObject rs, IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken)
    {
        var diff = pods.Count - (int)(rs.GetLong("spec", "replicas") ?? 1);
        if (diff < 0)
        {
            var toCreate = Math.Min(-diff, BurstReplicas);
            Expectations.ExpectCreations(key, toCreate);
            Log.Creating(Logger, key.Namespace, key.Name, toCreate);
            var (successes, error) = await SlowStart.BatchAsync(toCreate, 1, () => CreatePodAsync(rs, cancellationToken)).ConfigureAwait(false);
            for (var skipped = toCreate - successes; skipped > 0; skipped--)
            {
                Expectations.CreationObserved(key);
            }
            return error;
        }
        if (diff == 0)
        {
            return null;
        }
        var victims = GetPodsToDelete(pods, Math.Min(diff, BurstReplicas), _timeProvider.GetUtcNow());
        Expectations.ExpectDeletions(key, victims.Select(p => new ObjectKey(p.Metadata.NamespaceProperty ?? "", p.Metadata.Name)));
        Log.Deleting(Logger, key.Namespace, key.Name, victims.Count);
        var results = await Task.WhenAll(victims.Select(p => DeletePodAsync(key, rs, p, cancellationToken))).ConfigureAwait(false);
        return results.FirstOrDefault(e => e is not null);
    }

    /// <summary>
    /// The <paramref name="count"/> pods to delete first. Each pod's rank is the number of the set's pods on its node
    /// (upstream getPodsRankedByRelatedPodsOnSameNode, with the set's own pods as the related pods).
    /// </summary>
    internal static IReadOnlyList<V1Pod> GetPodsToDelete(IReadOnlyList<V1Pod> pods, int count, DateTimeOffset now)
    {
        var perNode = pods.Where(p => !string.IsNullOrEmpty(p.Spec?.NodeName)).GroupBy(p => p.Spec.NodeName).ToDictionary(g => g.Key, g => g.Count());
        var ranks = pods.Select(p => string.IsNullOrEmpty(p.Spec?.NodeName) ? 0 : perNode[p.Spec.NodeName]).ToList();
        return [.. ActivePodsWithRanks.Sort(pods, ranks, now).Take(count)];
    }

    private Task CreatePodAsync(JsonObject rs, CancellationToken cancellationToken) =>
        _podControl.CreatePodAsync(rs, PodTemplates.GetPodFromTemplate(rs), cancellationToken);

    /// <summary>Deletes one pod gracefully; a failed delete lowers the expectations, NotFound counts as done.</summary>
    private Task<Exception?> DeletePodAsync(ObjectKey key, JsonObject rs, V1Pod pod, CancellationToken cancellationToken) =>
        _podControl.DeletePodAsync(rs, pod, () => Expectations.DeletionObserved(key, new ObjectKey(pod.Metadata.NamespaceProperty ?? "", pod.Metadata.Name)),
            cancellationToken);

    private static partial class Log
    {
        [LoggerMessage(EventId = 2400, Level = LogLevel.Debug, Message = "Too few replicas for ReplicaSet {Namespace}/{Name}, creating {Count}")]
        public static partial void Creating(ILogger logger, string @namespace, string name, int count);

        [LoggerMessage(EventId = 2401, Level = LogLevel.Debug, Message = "Too many replicas for ReplicaSet {Namespace}/{Name}, deleting {Count}")]
        public static partial void Deleting(ILogger logger, string @namespace, string name, int count);
    }
}
