using System.Text.Json.Nodes;
using Berth.Kubelet.Container;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Status;

public sealed partial class StatusManager
{
    /// <summary>
    /// The write loop: syncs changed statuses when woken by <see cref="SetPodStatus"/>, and every sync period also
    /// reconciles statuses whose API copy drifted. API errors are logged and retried on the next round. Returns on
    /// cancellation.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var nextResync = _time.GetUtcNow() + _syncPeriod;
        while (!cancellationToken.IsCancellationRequested)
        {
            DateTimeOffset wakeAt;
            lock (_gate)
            {
                wakeAt = _heldUntil is { } held && held < nextResync ? held : nextResync;
            }

            var wait = wakeAt - _time.GetUtcNow();
            try
            {
                await _notify.WaitAsync(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var all = _time.GetUtcNow() >= nextResync;
            if (all)
            {
                nextResync = _time.GetUtcNow() + _syncPeriod;
            }

            try
            {
                await SyncBatchAsync(all, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One round: writes every status newer than what the API has, or due for deletion; with
    /// <paramref name="all"/> also those whose API copy differs from the cache. A status still held
    /// (<see cref="VersionedPodStatus.HoldUntil"/> in the future) is skipped and the loop wakes when the earliest hold
    /// ends. Each pod is written with its newest cached status, even one cached while the round ran. Returns the
    /// number of pods synced. Up to <c>maxConcurrentWrites</c> pods are written at a time.
    /// </summary>
    public async Task<int> SyncBatchAsync(bool all, CancellationToken cancellationToken)
    {
        var updates = new List<(string Uid, VersionedPodStatus Status)>();
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            _heldUntil = null;
            foreach (var (uid, status) in _statuses)
            {
                if (status.HoldUntil is { } until && until > now && !_apiVersions.ContainsKey(uid))
                {
                    _heldUntil = _heldUntil is { } earliest && earliest < until ? earliest : until;
                }
                else if (NeedsUpdate(uid, status))
                {
                    updates.Add((uid, status));
                }
                else if (all && NeedsReconcile(uid, status))
                {
                    _apiVersions.Remove(uid);
                    updates.Add((uid, status));
                }
            }
        }

        // Each pod appears once per round and the next round starts only after this one, so one pod's writes never
        // overlap or reorder; different pods' writes overlap and share the store's group commits.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _maxConcurrentWrites, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(updates, parallel, async (update, token) =>
        {
            try
            {
                await SyncPodAsync(update.Uid, update.Status, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.SyncFailed(_logger, update.Status.PodNamespace, update.Status.PodName, update.Uid, ex.Message);
            }
        }).ConfigureAwait(false);

        return updates.Count;
    }

    private bool NeedsUpdate(string uid, VersionedPodStatus status)
    {
        if (!_apiVersions.TryGetValue(uid, out var written) || written < status.Version)
        {
            return true;
        }

        return _podLookup(uid) is { } pod && CanBeDeleted(pod, status);
    }

    private bool NeedsReconcile(string uid, VersionedPodStatus status) =>
        _podLookup(uid) is { } pod && !PodStatusEquality.IsPodStatusByKubeletEqual(pod.Status ?? new V1PodStatus(), status.Status);

    private static bool CanBeDeleted(V1Pod pod, VersionedPodStatus status) =>
        PodSpecs.IsDeleting(pod) && PodSpecs.IsTerminalPhase(pod.Status?.Phase) && status.PodIsFinished;

    private async Task SyncPodAsync(string uid, VersionedPodStatus status, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_statuses.TryGetValue(uid, out var latest) && latest.Version > status.Version)
            {
                status = latest;
            }
        }

        JsonObject json;
        try
        {
            json = await _api.GetAsync(KindRegistry.Pods, status.PodNamespace, status.PodName, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            Log.PodGone(_logger, status.PodNamespace, status.PodName, uid);
            return;
        }

        var pod = ApiJson.ToModel<V1Pod>(json);
        if (PodSpecs.Uid(pod) != uid)
        {
            Log.PodRecreated(_logger, status.PodNamespace, status.PodName, uid);
            DeletePodStatus(uid);
            return;
        }

        var apiStatus = pod.Status ?? new V1PodStatus();
        var merged = PodStatusMerge.Merge(pod, apiStatus, status.Status, _couldHaveRunningContainers(uid));
        if (!PodStatusEquality.IsPodStatusByKubeletEqual(apiStatus, merged))
        {
            // The reply is only read for the deletion check below: no typed model of it.
            json = await _api.PatchAsync(KindRegistry.Pods, status.PodNamespace, status.PodName, PatchType.Merge,
                StatusPatch(json, merged), "status", cancellationToken: cancellationToken).ConfigureAwait(false);
            Log.StatusPatched(_logger, status.PodNamespace, status.PodName, uid, merged.Phase ?? "", status.Version);
        }

        lock (_gate)
        {
            _apiVersions[uid] = status.Version;
        }

        if (CanBeDeleted(json, status))
        {
            await DeleteFinishedPodAsync(status.PodNamespace, status.PodName, uid, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool CanBeDeleted(JsonObject pod, VersionedPodStatus status) =>
        pod.GetString("metadata", "deletionTimestamp") is not null && PodSpecs.IsTerminalPhase(pod.GetString("status", "phase"))
        && status.PodIsFinished;

    private static readonly HashSet<string> KubeletOwnedFields =
    [
        "phase", "conditions", "message", "reason", "hostIP", "hostIPs", "podIP", "podIPs", "startTime",
        "containerStatuses", "initContainerStatuses", "qosClass",
    ];

    // The whole status, plus nulls for kubelet-owned fields the API has and the new status lacks (merge patch).
    private static JsonObject StatusPatch(JsonObject current, V1PodStatus merged)
    {
        var status = ApiJson.FromModel(merged);
        if (current.GetObject("status") is { } existing)
        {
            foreach (var key in existing.Select(p => p.Key).Where(k => !status.ContainsKey(k) && KubeletOwnedFields.Contains(k)).ToList())
            {
                status[key] = null;
            }
        }

        return new JsonObject { ["status"] = status };
    }

    private async Task DeleteFinishedPodAsync(string ns, string name, string uid, CancellationToken cancellationToken)
    {
        try
        {
            await _api.DeleteAsync(KindRegistry.Pods, ns, name,
                new DeleteOptions(GracePeriodSeconds: 0, PreconditionUid: uid), cancellationToken).ConfigureAwait(false);
            Log.PodDeleted(_logger, ns, name, uid);
            DeletePodStatus(uid);
        }
        catch (ApiException ex) when (ex.Code is 404 or 409)
        {
            Log.PodDeleteSkipped(_logger, ns, name, uid, ex.Reason);
            DeletePodStatus(uid);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5601, Level = LogLevel.Debug, Message = "Patched status of pod {Namespace}/{Pod} ({PodUid}): phase {Phase}, version {Version}")]
        public static partial void StatusPatched(ILogger logger, string @namespace, string pod, string podUid, string phase, ulong version);

        [LoggerMessage(EventId = 5602, Level = LogLevel.Information, Message = "Pod {Namespace}/{Pod} ({PodUid}) fully terminated and removed from the API")]
        public static partial void PodDeleted(ILogger logger, string @namespace, string pod, string podUid);

        [LoggerMessage(EventId = 5603, Level = LogLevel.Debug, Message = "Pod {Namespace}/{Pod} ({PodUid}) does not exist on the server; status update skipped")]
        public static partial void PodGone(ILogger logger, string @namespace, string pod, string podUid);

        [LoggerMessage(EventId = 5604, Level = LogLevel.Information, Message = "Pod {Namespace}/{Pod} was deleted and recreated; dropping the status of {PodUid}")]
        public static partial void PodRecreated(ILogger logger, string @namespace, string pod, string podUid);

        [LoggerMessage(EventId = 5605, Level = LogLevel.Warning, Message = "Failed to update status of pod {Namespace}/{Pod} ({PodUid}): {Error}")]
        public static partial void SyncFailed(ILogger logger, string @namespace, string pod, string podUid, string error);

        [LoggerMessage(EventId = 5606, Level = LogLevel.Information, Message = "Final delete of pod {Namespace}/{Pod} ({PodUid}) skipped: {Reason}")]
        public static partial void PodDeleteSkipped(ILogger logger, string @namespace, string pod, string podUid, string reason);

        [LoggerMessage(EventId = 5607, Level = LogLevel.Warning, Message = "Pod {Namespace}/{Pod} attempted an illegal phase transition from {OldPhase} to {Phase}; kept {OldPhase}")]
        public static partial void IllegalPhaseTransition(ILogger logger, string? @namespace, string? pod, string oldPhase, string phase);
    }
}
