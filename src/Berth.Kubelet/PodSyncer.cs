using System.Collections.Concurrent;
using Berth.Client.Events;
using Berth.Kubelet.Abstractions;
using Berth.Kubelet.Container;
using Berth.Kubelet.Events;
using Berth.Kubelet.KubeRuntime;
using Berth.Kubelet.Prober;
using Berth.Kubelet.Status;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet;

/// <summary>
/// The agent's <see cref="IPodSyncer"/>: wires status generation, the sandbox (pod IP), volumes, probes and the
/// runtime manager together in upstream's order. Status generation for one pod is serialized by a per-pod gate, so a
/// refresh triggered by an exit or a probe while the worker is busy terminating the pod never interleaves with the
/// worker's own updates. Mirrors kubernetes/kubernetes pkg/kubelet/kubelet.go (SyncPod, SyncTerminatingPod,
/// SyncTerminatingRuntimePod, SyncTerminatedPod).
/// </summary>
/// <remarks>Thread-safe; for one pod only its worker calls the sync methods (refreshes may come from anywhere).</remarks>
public sealed partial class PodSyncer(
    KubeRuntimeManager runtimeManager,
    StatusManager statusManager,
    PodStatusGenerator statusGenerator,
    ProbeManager probes,
    IVolumeManager volumes,
    IPodNetwork network,
    PodSandboxes sandboxes,
    ReasonCache reasons,
    Util.Backoff crashLoopBackOff,
    IEventRecorder recorder,
    ILogger<PodSyncer> logger) : IPodSyncer
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _statusGates = new(StringComparer.Ordinal);

    public async Task<PodSyncResult> SyncPodAsync(SyncPodType updateType, V1Pod pod, CancellationToken cancellationToken)
    {
        var uid = PodSpecs.Uid(pod);
        var status = await UpdateStatusAsync(pod, podIsTerminal: false, null, cancellationToken).ConfigureAwait(false);
        if (PodSpecs.IsTerminalPhase(status.Phase))
        {
            return PodSyncResult.Terminal;
        }

        // RunPodSandbox: the pod's IP.
        try
        {
            sandboxes.SetReady(uid, network.AllocatePodIP(uid));
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
            recorder.PodEvent(pod, EventTypes.Warning, EventReasons.FailedCreatePodSandbox, $"Failed to create pod sandbox: {ex.Message}");
            throw;
        }

        IReadOnlyList<VolumeMount> mounts;
        try
        {
            mounts = await volumes.MountVolumesAsync(pod, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            recorder.PodEvent(pod, EventTypes.Warning, EventReasons.FailedMountVolume, $"Unable to attach or mount volumes: {ex.Message}");
            throw;
        }

        probes.AddPod(pod);
        var runtimeStatus = await runtimeManager.GetPodStatusAsync(uid, cancellationToken).ConfigureAwait(false);
        var result = await runtimeManager.SyncPodAsync(pod, runtimeStatus, sandboxes.Get(uid), network.HostIP, mounts, cancellationToken).ConfigureAwait(false);
        status = await UpdateStatusAsync(pod, podIsTerminal: false, null, cancellationToken).ConfigureAwait(false);
        return PodSpecs.IsTerminalPhase(status.Phase) ? PodSyncResult.Terminal : new PodSyncResult(false, result.RetryAfter, result.Starts.Any(start => !start.Succeeded && start.RetryAfter is null));
    }

    public async Task SyncTerminatingPodAsync(V1Pod pod, GracePeriodOverride gracePeriod, Action<V1PodStatus>? podStatusFunc,
        CancellationToken cancellationToken)
    {
        var uid = PodSpecs.Uid(pod);
        Log.Terminating(logger, pod.Metadata?.NamespaceProperty, pod.Metadata?.Name, uid, gracePeriod.Seconds);
        // Step 1: push a status (phase unchanged); Step 2: liveness and startup stop, readiness continues.
        await UpdateStatusAsync(pod, podIsTerminal: false, podStatusFunc, cancellationToken).ConfigureAwait(false);
        probes.StopLivenessAndStartup(pod);
        // Step 3: kill every running container at once, then stop the sandbox.
        var running = await runtimeManager.GetPodStatusAsync(uid, cancellationToken).ConfigureAwait(false);
        var sandbox = sandboxes.Get(uid);
        try
        {
            await runtimeManager.KillPodAsync(pod, running, gracePeriod, sandbox.PodIPs.Count > 0 ? sandbox.PodIPs[0] : null, cancellationToken).ConfigureAwait(false);
        }
        catch (AggregateException ex)
        {
            recorder.PodEvent(pod, EventTypes.Warning, EventReasons.FailedKillPod, $"error killing pod: {ex.InnerException?.Message ?? ex.Message}");
            throw;
        }

        network.ReleasePodIP(uid);
        sandboxes.MarkStopped(uid);
        // Step 4: no more probes; Step 5: nothing may run any more.
        probes.RemovePod(uid);
        var after = await runtimeManager.GetPodStatusAsync(uid, cancellationToken).ConfigureAwait(false);
        if (after.HasRunning)
        {
            throw new InvalidOperationException("detected running containers after a successful KillPod, CRI violation");
        }

        // Step 7: the terminal status (Succeeded only if every main container exited 0).
        await UpdateStatusAsync(pod, podIsTerminal: true, podStatusFunc, cancellationToken).ConfigureAwait(false);
        Log.Terminated(logger, pod.Metadata?.NamespaceProperty, pod.Metadata?.Name, uid);
    }

    public async Task SyncTerminatingRuntimePodAsync(PodRuntimeStatus runningPod, CancellationToken cancellationToken)
    {
        await runtimeManager.KillRuntimePodAsync(runningPod, cancellationToken).ConfigureAwait(false);
        var after = await runtimeManager.GetPodStatusAsync(runningPod.PodUid, cancellationToken).ConfigureAwait(false);
        if (after.HasRunning)
        {
            throw new InvalidOperationException("detected running containers after a successful KillPod, CRI violation");
        }

        network.ReleasePodIP(runningPod.PodUid);
        sandboxes.Forget(runningPod.PodUid);
        if (runningPod.Containers.FirstOrDefault() is { } any)
        {
            await volumes.UnmountVolumesAsync(ContainerLabels.RestoreSpecs(any).Pod, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task SyncTerminatedPodAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var uid = PodSpecs.Uid(pod);
        await UpdateStatusAsync(pod, podIsTerminal: true, null, cancellationToken).ConfigureAwait(false);
        await volumes.UnmountVolumesAsync(pod, cancellationToken).ConfigureAwait(false);
        network.ReleasePodIP(uid);
        probes.RemovePod(uid);
        statusManager.TerminatePod(pod);
        reasons.RemovePod(uid);
        crashLoopBackOff.DeleteByPrefix(KubeRuntimeManager.StableKeyPrefix(pod));
        sandboxes.Forget(uid);
        _statusGates.TryRemove(uid, out _);
    }

    /// <summary>
    /// Regenerates and caches the pod's status from the runtime now (a container exited, a readiness result changed)
    /// without waiting for the pod worker. Safe to call at any time; a terminal phase is never undone.
    /// </summary>
    public Task RefreshStatusAsync(V1Pod pod, CancellationToken cancellationToken) =>
        UpdateStatusAsync(pod, podIsTerminal: false, null, cancellationToken);

    private async Task<V1PodStatus> UpdateStatusAsync(V1Pod pod, bool podIsTerminal, Action<V1PodStatus>? podStatusFunc,
        CancellationToken cancellationToken)
    {
        var uid = PodSpecs.Uid(pod);
        var gate = _statusGates.GetOrAdd(uid, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var runtimeStatus = await runtimeManager.GetPodStatusAsync(uid, cancellationToken).ConfigureAwait(false);
            statusManager.TryGetPodStatus(uid, out var cached);
            var status = statusGenerator.Generate(pod, runtimeStatus, cached, sandboxes.Get(uid), network.HostIP, podIsTerminal);
            podStatusFunc?.Invoke(status);
            statusManager.SetPodStatus(pod, status);
            return statusManager.TryGetPodStatus(uid, out var settled) ? settled : status;
        }
        finally
        {
            gate.Release();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Terminating pod {Namespace}/{Pod} ({PodUid}) with a grace period of {GracePeriod}s")]
        public static partial void Terminating(ILogger logger, string? @namespace, string? pod, string podUid, long gracePeriod);

        [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "All containers of pod {Namespace}/{Pod} ({PodUid}) stopped")]
        public static partial void Terminated(ILogger logger, string? @namespace, string? pod, string podUid);
    }
}
