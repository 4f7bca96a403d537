using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Controllers.Util;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.DaemonSet;

public sealed partial class DaemonSetController
{
    /// <summary>
    /// One level-triggered pass over a DaemonSet (upstream syncDaemonSet): find or create the current revision, then,
    /// once earlier creates and deletes were observed, place and prune pods (manage), roll out (RollingUpdate only)
    /// and trim old revisions; status is written in every case. A failed pod write is thrown after status was written,
    /// so the key is retried with backoff.
    /// </summary>
    protected override async Task SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        GCBackoffWhenDue();
        var ds = _daemonSets.Lister.Get(key.Namespace, key.Name);
        if (ds is null)
        {
            Expectations.DeleteExpectations(key);
            PrunePlacements();
            return;
        }
        if (LabelSelector.FromLabelSelectorJson(ds.GetObject("spec", "selector")).IsEmpty)
        {
            _recorder.Event(ds, EventTypes.Warning, "SelectingAll", "This daemon set is selecting all pods. A non-empty selector is required.");
            return;
        }
        if (ds.GetString("metadata", "deletionTimestamp") is not null)
        {
            return;
        }
        var nodes = _nodeModels.List();
        var (current, old) = await ConstructHistoryAsync(ds, cancellationToken).ConfigureAwait(false);
        var hash = current.GetLabels().GetValueOrDefault(DaemonSetUtil.ControllerRevisionHashLabel) ?? "";
        if (!Expectations.SatisfiedExpectations(key))
        {
            await UpdateDaemonSetStatusAsync(ds, nodes, hash, updateObservedGeneration: false, cancellationToken).ConfigureAwait(false);
            return;
        }
        Exception? error = null;
        try
        {
            await UpdateDaemonSetAsync(ds, key, nodes, hash, old, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            error = e;
        }
        await UpdateDaemonSetStatusAsync(ds, nodes, hash, updateObservedGeneration: true, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            throw error;
        }
    }

    /// <summary>manage, then the rolling update once manage's writes were observed, then history cleanup (upstream updateDaemonSet).</summary>
    private async Task UpdateDaemonSetAsync(JsonObject ds, ObjectKey key, IReadOnlyList<V1Node> nodes, string hash, IReadOnlyList<JsonObject> old,
        CancellationToken cancellationToken)
    {
        await ManageAsync(ds, key, nodes, hash, cancellationToken).ConfigureAwait(false);
        if (Expectations.SatisfiedExpectations(key) && DaemonSetUtil.IsRollingUpdate(ds))
        {
            await RollingUpdateAsync(ds, key, nodes, hash, cancellationToken).ConfigureAwait(false);
        }
        await CleanupHistoryAsync(ds, old, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The DaemonSet's claimed pods (orphans adopted, strays released) grouped by the node they run on or target.
    /// Terminal pods that are already being deleted are left out unless <paramref name="includeDeletedTerminal"/>.
    /// Pods are the cached models: read-only.
    /// </summary>
    internal async Task<Dictionary<string, List<V1Pod>>> GetNodesToDaemonPodsAsync(JsonObject ds, bool includeDeletedTerminal,
        CancellationToken cancellationToken)
    {
        var selector = LabelSelector.FromLabelSelectorJson(ds.GetObject("spec", "selector"));
        var manager = new ControllerRefManager(_client, KindRegistry.Pods, ds, selector, ct => CanAdoptAsync(ds, ct));
        var claimed = await manager.ClaimAsync(_pods.Lister.List(ds.GetNamespace()), cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<string, List<V1Pod>>(StringComparer.Ordinal);
        foreach (var pod in claimed.Select(_podModels.ToModel))
        {
            if (!includeDeletedTerminal && pod.Status?.Phase is "Succeeded" or "Failed" && pod.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }
            if (DaemonSetUtil.GetTargetNodeName(pod) is not { } nodeName)
            {
                continue;
            }
            if (!result.TryGetValue(nodeName, out var list))
            {
                result[nodeName] = list = [];
            }
            list.Add(pod);
        }
        return result;
    }

    /// <summary>Live re-read before the first adoption: a DaemonSet being deleted (or replaced) adopts nothing.</summary>
    private async Task<bool> CanAdoptAsync(JsonObject ds, CancellationToken cancellationToken)
    {
        try
        {
            var fresh = await _client.GetAsync(KindRegistry.DaemonSets, ds.GetNamespace(), ds.GetName()!, cancellationToken).ConfigureAwait(false);
            return fresh.GetUid() == ds.GetUid() && fresh.GetString("metadata", "deletionTimestamp") is null;
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return false;
        }
    }

    private void GCBackoffWhenDue()
    {
        var now = _timeProvider.GetUtcNow();
        if (now - _lastBackoffGC >= BackoffGCInterval)
        {
            _lastBackoffGC = now;
            FailedPodsBackoff.GC();
        }
    }

    private void PrunePlacements()
    {
        var live = _daemonSets.Lister.List(null).Select(d => d.GetUid() ?? "").ToHashSet(StringComparer.Ordinal);
        foreach (var uid in _placements.Keys.Where(u => !live.Contains(u)))
        {
            _placements.TryRemove(uid, out _);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2900, Level = LogLevel.Debug, Message = "DaemonSet {Namespace}/{Name}: creating {Creates} and deleting {Deletes} daemon pods")]
        public static partial void SyncingNodes(ILogger logger, string @namespace, string name, int creates, int deletes);

        [LoggerMessage(EventId = 2901, Level = LogLevel.Information, Message = "DaemonSet {Namespace}/{Name}: failed daemon pod {Pod} on node {Node}, deleting it")]
        public static partial void DeletingFailedPod(ILogger logger, string @namespace, string name, string pod, string node);

        [LoggerMessage(EventId = 2902, Level = LogLevel.Debug, Message = "DaemonSet {Namespace}/{Name}: failed daemon pod {Pod} on node {Node} is in back-off")]
        public static partial void FailedPodInBackoff(ILogger logger, string @namespace, string name, string pod, string node);

        [LoggerMessage(EventId = 2903, Level = LogLevel.Debug, Message = "DaemonSet {Namespace}/{Name}: rolling update replaces {Count} pods (maxSurge {MaxSurge}, maxUnavailable {MaxUnavailable})")]
        public static partial void RollingUpdate(ILogger logger, string @namespace, string name, int count, int maxSurge, int maxUnavailable);

        [LoggerMessage(EventId = 2904, Level = LogLevel.Information, Message = "DaemonSet {Namespace}/{Name}: hash collision on revision {Revision}, collisionCount now {Count}")]
        public static partial void HashCollision(ILogger logger, string @namespace, string name, string revision, long count);

        [LoggerMessage(EventId = 2905, Level = LogLevel.Debug, Message = "DaemonSet {Namespace}/{Name}: deleting old revision {Revision}")]
        public static partial void DeletingRevision(ILogger logger, string @namespace, string name, string revision);
    }
}
