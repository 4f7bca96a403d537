using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Kubelet.Container;
using Berth.Kubelet.Prober;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet;

public sealed partial class Kubelet
{
    /// <summary>
    /// Runs the agent until <paramref name="cancellationToken"/> fires: starts the pod informer
    /// (<c>spec.nodeName=&lt;node&gt;</c>), waits for its first list, kills orphaned containers, then runs the status
    /// manager, the PLEG and housekeeping. On cancellation the loops stop; pods keep running.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var informer = new SharedInformer(_api, KindRegistry.Pods,
            new InformerOptions(ListOptions: new ListOptions(FieldSelector: "spec.nodeName=" + _options.NodeName)), _time, _loggerFactory);
        var models = informer.TypedLister<V1Pod>();
        informer.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (obj, _) => HandlePodUpsert(models.ToModel(obj), SyncPodType.Create),
            UpdateFunc = (old, obj) => HandlePodUpsert(models.ToModel(obj), SyncPodType.Update, IsStatusEcho(old, obj)),
            DeleteFunc = (obj, _) => HandlePodRemove(models.ToModel(obj)),
        });
        Log.Starting(_logger, _options.NodeName);
        var loops = new List<Task> { informer.RunAsync(stop.Token), StatusManager.RunAsync(stop.Token) };
        try
        {
            await informer.WaitForCacheSyncAsync(stop.Token).ConfigureAwait(false);
            await KillOrphansAsync(models.List(), stop.Token).ConfigureAwait(false);
            loops.Add(Pleg.RunAsync(stop.Token));
            loops.Add(HousekeepingLoopAsync(stop.Token));
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await PodWorkers.StopAsync().ConfigureAwait(false);
            Probes.StopAll();
            await Task.WhenAll(loops).ConfigureAwait(false);
            Log.Stopped(_logger, _options.NodeName);
        }
    }

    /// <summary>
    /// A pod was added or changed in the API (HandlePodAdditions / HandlePodUpdates). A <paramref name="statusEcho"/>
    /// (<see cref="PodUpdateKinds.IsKubeletStatusEcho"/>) only refreshes the pod manager and the probes
    /// (HandlePodReconcile): its worker is not woken for a sync that would change nothing.
    /// </summary>
    internal void HandlePodUpsert(V1Pod pod, SyncPodType type, bool statusEcho = false)
    {
        if (pod.Spec?.NodeName != _options.NodeName || RejectIfShuttingDown(pod))
        {
            return;
        }

        Pods.Set(pod);
        Probes.UpdatePod(pod);
        if (!statusEcho)
        {
            PodWorkers.UpdatePod(new UpdatePodOptions(type, pod));
        }

        if (PodSpecs.IsDeleting(pod))
        {
            StatusManager.RequestSync();
        }
    }

    // Only a pod the worker already runs can echo: without a worker (or a cached status) the update goes through.
    private bool IsStatusEcho(JsonObject old, JsonObject pod) =>
        pod.GetUid() is { } uid && PodWorkers.GetState(uid) is not null
        && PodUpdateKinds.IsKubeletStatusEcho(old, pod, StatusManager.TryGetPodStatus(uid, out var cached) ? cached.Phase : null);

    /// <summary>A pod is gone from the API (HandlePodRemoves): its worker kills whatever still runs.</summary>
    internal void HandlePodRemove(V1Pod pod)
    {
        Pods.Remove(PodSpecs.Uid(pod));
        PodWorkers.UpdatePod(new UpdatePodOptions(SyncPodType.Kill, pod));
    }

    /// <summary>
    /// A container of the pod changed (PLEG) or a liveness/startup result changed: the worker resyncs. While the
    /// worker is busy terminating the pod, the status is also refreshed at once so exits show up immediately.
    /// </summary>
    internal void HandlePodEvent(string podUid)
    {
        var pod = Pods.Get(podUid) ?? PodWorkers.GetPod(podUid);
        if (pod is null)
        {
            return;
        }

        if (PodWorkers.GetState(podUid) == PodWorkerState.TerminatingPod)
        {
            RefreshStatus(podUid);
        }

        PodWorkers.UpdatePod(new UpdatePodOptions(SyncPodType.Sync, pod));
    }

    // Any change of a cached result resyncs the pod (handleProbeSync): a failure may kill the container, a
    // success flips started/ready in the status.
    private void OnProbeResult(ProbeResultUpdate update) => HandlePodEvent(update.PodUid);

    // Regenerates the status outside the worker (readiness changes, exits during termination); errors are logged.
    private void RefreshStatus(string podUid)
    {
        if (PodWorkers.IsPodKnownTerminated(podUid) || (Pods.Get(podUid) ?? PodWorkers.GetPod(podUid)) is not { } pod)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await Syncer.RefreshStatusAsync(pod, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is Machinery.Errors.ApiException or InvalidOperationException or IOException)
            {
                Log.RefreshFailed(_logger, podUid, ex);
            }
        });
    }

    // Containers whose pod no longer exists are killed with grace 1 (SyncTerminatingRuntimePod). Judged against the
    // informer's cache, not the pod manager: handlers may not have delivered the initial list yet.
    private async Task KillOrphansAsync(IReadOnlyList<V1Pod> cached, CancellationToken cancellationToken)
    {
        var desired = new HashSet<string>(cached.Where(p => p.Spec?.NodeName == _options.NodeName).Select(PodSpecs.Uid), StringComparer.Ordinal);
        desired.UnionWith(Pods.Uids());
        foreach (var runtimePod in await RuntimeManager.GetPodsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!desired.Contains(runtimePod.PodUid) && runtimePod.HasRunning && PodWorkers.GetState(runtimePod.PodUid) is null)
            {
                Log.Orphan(_logger, runtimePod.PodUid);
                PodWorkers.UpdatePod(new UpdatePodOptions(SyncPodType.Kill, null, runtimePod));
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Node agent starting for node {NodeName}")]
        public static partial void Starting(ILogger logger, string nodeName);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Node agent for node {NodeName} stopped (pods keep running)")]
        public static partial void Stopped(ILogger logger, string nodeName);

        [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Killing running containers of pod {PodUid}, which no longer exists")]
        public static partial void Orphan(ILogger logger, string podUid);

        [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Refreshing the status of pod {PodUid} failed")]
        public static partial void RefreshFailed(ILogger logger, string podUid, Exception exception);

        [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Housekeeping failed")]
        public static partial void HousekeepingFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "Node shutdown: terminating {Count} pods ({Kind}) with at most {GracePeriod}s each")]
        public static partial void ShutdownGroup(ILogger logger, int count, string kind, long gracePeriod);

        [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "Node shutdown: {Count} pods ({Kind}) did not stop within the shutdown grace period")]
        public static partial void ShutdownTimedOut(ILogger logger, int count, string kind);

        [LoggerMessage(EventId = 5008, Level = LogLevel.Debug, Message = "Removing the containers of pod {PodUid}, which is gone")]
        public static partial void RemovingContainers(ILogger logger, string podUid);

        [LoggerMessage(EventId = 5009, Level = LogLevel.Information, Message = "Node shutdown: pod {PodUid} rejected, the node is shutting down")]
        public static partial void ShutdownRejected(ILogger logger, string podUid);

        [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, Message = "Node shutdown: the shutdown grace period is used up; killing {Count} pods that still run")]
        public static partial void ShutdownKillingRemaining(ILogger logger, int count);
    }
}
