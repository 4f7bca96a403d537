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
    /// The write loop: starts a pod's write as soon as its status changed (<see cref="SetPodStatus"/>), up to
    /// <c>maxConcurrentWrites</c> pods at once, without waiting for other pods' writes to finish; every sync period it
    /// also reconciles statuses whose API copy drifted. A pod is never written twice at once; a status cached while its
    /// pod is being written is written right after. A write that failed, or found its pod gone, is tried again after
    /// <see cref="WriteRetryDelay"/>. Returns on cancellation, once the writes in flight ended.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var nextResync = _time.GetUtcNow() + _syncPeriod;
        try
        {
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

                DispatchWrites(all, cancellationToken);
            }
        }
        finally
        {
            await WhenWritesEndedAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One round (graceful shutdown, tests): waits for the writes the loop has in flight, then writes every status
    /// newer than what the API has, or due for deletion; with <paramref name="all"/> also those whose API copy differs
    /// from the cache. A status still held (<see cref="VersionedPodStatus.HoldUntil"/> in the future) is skipped and
    /// the loop wakes when the earliest hold ends. Each pod is written with its newest cached status, even one cached
    /// while the round ran. Returns the number of pods synced. Up to <c>maxConcurrentWrites</c> pods are written at a
    /// time; a pod the loop started writing meanwhile is left to the loop.
    /// </summary>
    public async Task<int> SyncBatchAsync(bool all, CancellationToken cancellationToken)
    {
        await WhenWritesEndedAsync().ConfigureAwait(false);
        List<(string Uid, VersionedPodStatus Status)> updates;
        lock (_gate)
        {
            updates = CollectUpdates(all, honourRetries: false);
            updates.ForEach(u => _writing.Add(u.Uid));
        }

        try
        {
            // Different pods' writes overlap and share the store's group commits.
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
        }
        finally
        {
            lock (_gate)
            {
                updates.ForEach(u => _writing.Remove(u.Uid));
            }

            _notify.Set();
        }

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

    // Writes the pod's newest cached status: against the kubelet's copy of the pod when that is enough
    // (TryPatchFromPodManagerAsync), otherwise read, merge and patch.
    private async Task SyncPodAsync(string uid, VersionedPodStatus status, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_statuses.TryGetValue(uid, out var latest) && latest.Version > status.Version)
            {
                status = latest;
            }
        }

        if (!await TryPatchFromPodManagerAsync(uid, status, cancellationToken).ConfigureAwait(false))
        {
            await ReadMergePatchAsync(uid, status, cancellationToken).ConfigureAwait(false);
        }
    }

    // Upstream's syncPod: reads the pod, merges the status into the API's and patches when they differ.
    private async Task ReadMergePatchAsync(string uid, VersionedPodStatus status, CancellationToken cancellationToken)
    {
        var podManagerVersion = _podLookup(uid)?.Metadata?.ResourceVersion;
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

        if ((json.GetUid() ?? "") != uid)
        {
            Log.PodRecreated(_logger, status.PodNamespace, status.PodName, uid);
            DeletePodStatus(uid);
            return;
        }

        // Only the status is read: a typed model of the whole pod (spec, managedFields) is not needed.
        var stored = json.GetObject("status");
        var apiStatus = stored is null ? new V1PodStatus() : ApiJson.ToModel<V1PodStatus>(stored);
        var merged = PodStatusMerge.Merge(apiStatus, status.Status, _couldHaveRunningContainers(uid));
        var mergedJson = ZeroTimes.FromModel(merged);
        if (!PodStatusEquality.IsPodStatusByKubeletEqual(apiStatus, merged, ZeroTimes.FromModel(apiStatus), mergedJson))
        {
            // The patch is computed against the status as stored, not its model round trip.
            var storedStatus = stored is null ? [] : ZeroTimes.Add(ApiJson.Clone(stored));
            // The reply is only read for the deletion check below: no typed model of it.
            json = await _api.PatchAsync(KindRegistry.Pods, status.PodNamespace, status.PodName, PatchType.Merge,
                PodStatusPatch.Create(storedStatus, mergedJson, resourceVersion: null), "status", cancellationToken: cancellationToken).ConfigureAwait(false);
            Log.StatusPatched(_logger, status.PodNamespace, status.PodName, uid, merged.Phase ?? "", status.Version);
            RememberWrite(uid, json, podManagerVersion);
        }

        await SettleAsync(uid, status, json, cancellationToken).ConfigureAwait(false);
    }

    // The API has the status at this version (or an equal one); the pod is deleted if it may be now.
    private async Task SettleAsync(string uid, VersionedPodStatus status, JsonObject apiPod, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _apiVersions[uid] = status.Version;
        }

        if (CanBeDeleted(apiPod, status))
        {
            await DeleteFinishedPodAsync(status.PodNamespace, status.PodName, uid, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool CanBeDeleted(JsonObject pod, VersionedPodStatus status) =>
        pod.GetString("metadata", "deletionTimestamp") is not null && PodSpecs.IsTerminalPhase(pod.GetString("status", "phase"))
        && status.PodIsFinished;

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
