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
    // Under _gate: the API's copy of a pod after the manager's last write of it (the write's reply), kept until the pod
    // manager's copy moves past the version it had at that write (the watch delivered the write, or a later change).
    private readonly Dictionary<string, WrittenCopy> _written = new(StringComparer.Ordinal);

    /// <summary>
    /// A status write without the GET (Berth's deviation; upstream's syncPod always reads the pod first): the merge
    /// runs against the newest copy of the pod the kubelet has (the pod manager's, or the reply of this manager's last
    /// write while the watch has not delivered it), and the patch carries that copy's resourceVersion as a
    /// precondition, so it applies only if the API still has exactly that copy, and the result is what the read-merge-
    /// patch would have written. Returns false, having written nothing, when the read is needed after all: no copy (or
    /// one without a resourceVersion), a copy under which nothing would change (confirmed against the API, as the copy
    /// may be behind), or a copy the API has moved past (409 Conflict). A pod gone from the API (404) is handled as in
    /// the read path. Other errors propagate.
    /// </summary>
    private async Task<bool> TryPatchFromPodManagerAsync(string uid, VersionedPodStatus status, CancellationToken cancellationToken)
    {
        if (NewestCopy(uid, status) is not var (apiStatus, resourceVersion, podManagerVersion))
        {
            return false;
        }

        var merged = PodStatusMerge.Merge(apiStatus, status.Status, _couldHaveRunningContainers(uid));
        var apiJson = ZeroTimes.FromModel(apiStatus);
        var mergedJson = ZeroTimes.FromModel(merged);
        if (PodStatusEquality.IsPodStatusByKubeletEqual(apiStatus, merged, apiJson, mergedJson))
        {
            return false;
        }

        JsonObject reply;
        try
        {
            reply = await _api.PatchAsync(KindRegistry.Pods, status.PodNamespace, status.PodName, PatchType.Merge,
                PodStatusPatch.Create(apiJson, mergedJson, resourceVersion), "status", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 409)
        {
            Log.PodCopyStale(_logger, status.PodNamespace, status.PodName, uid, resourceVersion);
            return false;
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            Log.PodGone(_logger, status.PodNamespace, status.PodName, uid);
            return true;
        }

        Log.StatusPatched(_logger, status.PodNamespace, status.PodName, uid, merged.Phase ?? "", status.Version);
        RememberWrite(uid, reply, podManagerVersion);
        await SettleAsync(uid, status, reply, cancellationToken).ConfigureAwait(false);
        return true;
    }

    // The pod manager's copy, or the last write's reply while the pod manager still has the version it had then.
    private (V1PodStatus Status, string ResourceVersion, string PodManagerVersion)? NewestCopy(string uid, VersionedPodStatus status)
    {
        if (_podLookup(uid) is not { Metadata.ResourceVersion: { Length: > 0 } podManagerVersion } pod || PodSpecs.Uid(pod) != uid
            || pod.Metadata.Name != status.PodName || pod.Metadata.NamespaceProperty != status.PodNamespace)
        {
            return null;
        }

        WrittenCopy? written;
        lock (_gate)
        {
            if (_written.TryGetValue(uid, out written) && written.PodManagerVersion != podManagerVersion)
            {
                _written.Remove(uid);
                written = null;
            }
        }

        return written is null
            ? (pod.Status ?? new V1PodStatus(), podManagerVersion, podManagerVersion)
            : (ApiJson.ToModel<V1PodStatus>(written.Status), written.ResourceVersion, podManagerVersion);
    }

    // Keeps the reply's status for the pod's next write; podManagerVersion is the pod manager's resourceVersion of the
    // pod before the write (null: none, nothing kept). The reply is the caller's own copy and is not modified after
    // this, so its status is kept without copying (with the reply, until the pod manager catches up: seconds).
    private void RememberWrite(string uid, JsonObject reply, string? podManagerVersion)
    {
        if (podManagerVersion is null)
        {
            return;
        }

        if (reply.GetResourceVersion() is not { Length: > 0 } resourceVersion || reply.GetObject("status") is not { } replyStatus)
        {
            return;
        }

        var copy = new WrittenCopy(resourceVersion, podManagerVersion, replyStatus);
        lock (_gate)
        {
            if (_statuses.ContainsKey(uid))
            {
                _written[uid] = copy;
            }
        }
    }

    // Under the lock: drops the replies the pod manager has caught up with (so a written pod keeps none for long).
    private void ForgetCaughtUpWrites()
    {
        if (_written.Count == 0)
        {
            return;
        }

        foreach (var uid in _written.Where(w => _podLookup(w.Key)?.Metadata?.ResourceVersion != w.Value.PodManagerVersion).Select(w => w.Key).ToList())
        {
            _written.Remove(uid);
        }
    }

    private sealed record WrittenCopy(string ResourceVersion, string PodManagerVersion, JsonObject Status);

    private static partial class Log
    {
        [LoggerMessage(EventId = 5608, Level = LogLevel.Debug, Message = "Pod {Namespace}/{Pod} ({PodUid}) changed since resourceVersion {ResourceVersion} of the pod manager's copy; reading it before the status write")]
        public static partial void PodCopyStale(ILogger logger, string @namespace, string pod, string podUid, string resourceVersion);
    }
}
