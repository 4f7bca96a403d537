using Berth.Client.Events;
using Berth.Kubelet.Abstractions;
using Berth.Kubelet.Container;
using Berth.Kubelet.Runtime;
using Berth.Kubelet.Status;
using Berth.Kubelet.Util;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.KubeRuntime;

/// <summary>
/// The kubelet's view of the container runtime: per-pod snapshots, SyncPod (apply computed actions: kill what must
/// go, start init containers in order and sidecars, then main containers, honouring crash-loop back-off) and the pod
/// kill paths (all running containers in parallel, sidecars ordered; orphans with grace 1 from their labels).
/// Mirrors kubernetes/kubernetes pkg/kubelet/kuberuntime/kuberuntime_manager.go (SyncPod, KillPod,
/// killPodWithSyncResult, doBackOff) and kuberuntime_container.go (killContainersWithSyncResult).
/// </summary>
/// <remarks>Thread-safe; the pod worker of a UID is the only caller for that pod.</remarks>
public sealed partial class KubeRuntimeManager(IContainerRuntime runtime, PodActionsCalculator calculator, ContainerStarter starter,
    ContainerKiller killer, Backoff crashLoopBackOff, ReasonCache reasons, IEventRecorder recorder, ILogger<KubeRuntimeManager> logger)
{
    /// <summary>The current snapshot of one pod's containers.</summary>
    public async Task<PodRuntimeStatus> GetPodStatusAsync(string podUid, CancellationToken cancellationToken) =>
        PodRuntimeStatus.From(podUid, await runtime.ListPodContainersAsync(podUid, cancellationToken).ConfigureAwait(false));

    /// <summary>Snapshots of every pod the runtime has containers of.</summary>
    public async Task<IReadOnlyList<PodRuntimeStatus>> GetPodsAsync(CancellationToken cancellationToken)
    {
        var all = await runtime.ListContainersAsync(cancellationToken).ConfigureAwait(false);
        return [.. all.GroupBy(c => c.PodUid, StringComparer.Ordinal).Select(pod => PodRuntimeStatus.From(pod.Key, pod))];
    }

    /// <summary>Brings the pod's containers towards the spec; never called once the pod is terminating.</summary>
    public async Task<RuntimeSyncResult> SyncPodAsync(V1Pod pod, PodRuntimeStatus podStatus, PodSandboxInfo sandbox,
        string hostIP, IReadOnlyList<VolumeMount> mounts, CancellationToken cancellationToken)
    {
        var actions = calculator.Compute(pod, podStatus);
        var podIP = sandbox.PodIPs.Count > 0 ? sandbox.PodIPs[0] : null;
        if (actions.KillPod)
        {
            if (podStatus.HasRunning)
            {
                Log.KillingPodNothingToKeep(logger, pod.Metadata?.NamespaceProperty, pod.Metadata?.Name);
                await KillPodAsync(pod, podStatus, null, podIP, cancellationToken).ConfigureAwait(false);
            }

            return RuntimeSyncResult.Empty;
        }

        foreach (var (id, kill) in actions.ContainersToKill)
        {
            await killer.KillContainerAsync(new KillContainerRequest(pod, kill.Spec, id, kill.Message, kill.Reason, null, null, podIP,
                StopSignalOf(kill.Spec, podStatus, id)), cancellationToken).ConfigureAwait(false);
        }

        var starts = new List<StartContainerResult>();
        var ephemeral = PodSpecs.EphemeralContainers(pod);
        foreach (var index in actions.EphemeralContainersToStart)
        {
            // Before init containers, so that a pod stuck initializing can still be debugged.
            starts.Add(await StartAsync(pod, ephemeral[index], podStatus, sandbox, hostIP, mounts, cancellationToken).ConfigureAwait(false));
        }

        var inits = PodSpecs.InitContainers(pod);
        foreach (var index in actions.InitContainersToStart)
        {
            var result = await StartAsync(pod, inits[index], podStatus, sandbox, hostIP, mounts, cancellationToken).ConfigureAwait(false);
            starts.Add(result);
            if (!result.Succeeded && !PodSpecs.IsRestartableInitContainer(inits[index]))
            {
                return Result(starts);
            }
        }

        var containers = PodSpecs.Containers(pod);
        foreach (var index in actions.ContainersToStart)
        {
            starts.Add(await StartAsync(pod, containers[index], podStatus, sandbox, hostIP, mounts, cancellationToken).ConfigureAwait(false));
        }

        return Result(starts);
    }

    private static RuntimeSyncResult Result(List<StartContainerResult> starts) =>
        new(starts, starts.Where(s => s.RetryAfter is not null).Select(s => s.RetryAfter).Min());

    private async Task<StartContainerResult> StartAsync(V1Pod pod, V1Container container, PodRuntimeStatus podStatus,
        PodSandboxInfo sandbox, string hostIP, IReadOnlyList<VolumeMount> mounts, CancellationToken cancellationToken)
    {
        var uid = PodSpecs.Uid(pod);
        var backOff = DoBackOff(pod, container, podStatus);
        var result = backOff ?? await starter.StartContainerAsync(pod, container, podStatus, sandbox, hostIP, mounts, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            reasons.Remove(uid, container.Name);
        }
        else
        {
            reasons.Add(uid, container.Name, result.Reason!, result.Message);
        }

        return result;
    }

    private static int StopSignalOf(V1Container spec, PodRuntimeStatus podStatus, ContainerId id) =>
        Interop.Signals.TryParse(spec.Lifecycle?.StopSignal, out var signal) ? signal
        : podStatus.Containers.FirstOrDefault(c => c.Id == id) is { } status ? ContainerLabels.StoredStopSignal(status)
        : Interop.Signals.SIGTERM;

    private static partial class Log
    {
        [LoggerMessage(EventId = 5321, Level = LogLevel.Information, Message = "All main containers of pod {Namespace}/{Pod} are done and none restarts: stopping the pod's remaining containers")]
        public static partial void KillingPodNothingToKeep(ILogger logger, string? @namespace, string? pod);

        [LoggerMessage(EventId = 5322, Level = LogLevel.Information, Message = "Container {Container} of pod {Namespace}/{Pod} is in crash-loop back-off for {BackOff}")]
        public static partial void InBackOff(ILogger logger, string? @namespace, string? pod, string container, string backOff);

        [LoggerMessage(EventId = 5323, Level = LogLevel.Information, Message = "Killing orphaned container {Container} ({ContainerId}) of vanished pod {PodUid}")]
        public static partial void KillingOrphan(ILogger logger, string podUid, string container, string containerId);
    }
}
