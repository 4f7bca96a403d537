using System.Text.Json.Nodes;
using Berth.Kubelet.Container;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Status;

public sealed partial class StatusManager
{
    /// <summary>
    /// A status write without the GET (Berth's deviation; upstream's syncPod always reads the pod first): the merge
    /// runs against the pod manager's copy of the pod, and the patch carries that copy's resourceVersion as a
    /// precondition, so it applies only if the API still has exactly that copy, and the result is what the read-merge-
    /// patch would have written. Returns false, having written nothing, when the read is needed after all: no copy (or
    /// one without a resourceVersion), a copy under which nothing would change (confirmed against the API, as the copy
    /// may be behind), or a copy the API has moved past (409 Conflict: e.g. the watch has not delivered the previous
    /// write yet). A pod gone from the API (404) is handled as in the read path. Other errors propagate.
    /// </summary>
    private async Task<bool> TryPatchFromPodManagerAsync(string uid, VersionedPodStatus status, CancellationToken cancellationToken)
    {
        if (_podLookup(uid) is not { Metadata.ResourceVersion: { Length: > 0 } resourceVersion } pod || PodSpecs.Uid(pod) != uid
            || pod.Metadata.Name != status.PodName || pod.Metadata.NamespaceProperty != status.PodNamespace)
        {
            return false;
        }

        var apiStatus = pod.Status ?? new V1PodStatus();
        var merged = PodStatusMerge.Merge(apiStatus, status.Status, _couldHaveRunningContainers(uid));
        if (PodStatusEquality.IsPodStatusByKubeletEqual(apiStatus, merged))
        {
            return false;
        }

        JsonObject reply;
        try
        {
            reply = await _api.PatchAsync(KindRegistry.Pods, status.PodNamespace, status.PodName, PatchType.Merge,
                PodStatusPatch.Create(apiStatus, merged, resourceVersion), "status", cancellationToken: cancellationToken).ConfigureAwait(false);
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
        await SettleAsync(uid, status, reply, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5608, Level = LogLevel.Debug, Message = "Pod {Namespace}/{Pod} ({PodUid}) changed since resourceVersion {ResourceVersion} of the pod manager's copy; reading it before the status write")]
        public static partial void PodCopyStale(ILogger logger, string @namespace, string pod, string podUid, string resourceVersion);
    }
}
