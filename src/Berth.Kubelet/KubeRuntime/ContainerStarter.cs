using Berth.Client.Events;
using Berth.Kubelet.Abstractions;
using Berth.Kubelet.Container;
using Berth.Kubelet.Events;
using Berth.Kubelet.Interop;
using Berth.Kubelet.KubeRuntime.Env;
using Berth.Kubelet.Lifecycle;
using Berth.Kubelet.Runtime;
using Berth.Kubelet.Status;
using Berth.Machinery.Errors;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.KubeRuntime;

/// <summary>
/// Starts one container instance: "pull" (the image is only recorded: <c>Pulled</c> "already present on machine"),
/// generate the config, create (<c>Created</c>), start (<c>Started</c>), then run postStart; a failing postStart
/// records <c>FailedPostStartHook</c> ("PostStartHook failed") and kills the container with message
/// FailedPostStartHook. Each failure maps to the waiting reason users see, with a <c>Failed</c> "Error: …" event.
/// Mirrors kubernetes/kubernetes pkg/kubelet/kuberuntime/kuberuntime_container.go (startContainer).
/// </summary>
public sealed partial class ContainerStarter(IContainerRuntime runtime, ContainerConfigGenerator configs, IHandlerRunner handlers,
    ContainerKiller killer, IEventRecorder recorder, ILogger<ContainerStarter> logger)
{
    public async Task<StartContainerResult> StartContainerAsync(V1Pod pod, V1Container container, PodRuntimeStatus podStatus,
        PodSandboxInfo sandbox, string hostIP, IReadOnlyList<VolumeMount> mounts, CancellationToken cancellationToken)
    {
        var name = container.Name;
        var restartCount = podStatus.FindContainerStatusByName(name) is { } previous ? previous.Attempt + 1 : 0;
        recorder.ContainerEvent(pod, name, EventTypes.Normal, EventReasons.PulledImage, $"Container image \"{container.Image}\" already present on machine");
        var stopSignal = Signals.TryParse(container.Lifecycle?.StopSignal, out var signal) ? signal : Signals.SIGTERM;
        ContainerConfig config;
        try
        {
            config = await configs.GenerateAsync(pod, container, restartCount, sandbox.PodIPs, hostIP, mounts, stopSignal, cancellationToken).ConfigureAwait(false);
        }
        catch (ContainerConfigException ex)
        {
            return Fail(pod, name, ContainerWaitingReasons.CreateContainerConfigError, ex.Message);
        }

        ContainerId id;
        try
        {
            id = await runtime.CreateContainerAsync(config, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex)
        {
            return Fail(pod, name, ContainerWaitingReasons.CreateContainerError, ex.Message);
        }

        recorder.ContainerEvent(pod, name, EventTypes.Normal, EventReasons.CreatedContainer, $"Created container: {name}");
        try
        {
            await runtime.StartContainerAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ContainerStartException or ApiException)
        {
            return Fail(pod, name, ContainerWaitingReasons.RunContainerError, ex.Message);
        }

        recorder.ContainerEvent(pod, name, EventTypes.Normal, EventReasons.StartedContainer, $"Started container {name}");
        Log.Started(logger, pod.Metadata?.NamespaceProperty, pod.Metadata?.Name, name, id.Value, restartCount);
        if (container.Lifecycle?.PostStart is { } postStart)
        {
            return await RunPostStartAsync(pod, container, id, postStart, sandbox, stopSignal, cancellationToken).ConfigureAwait(false);
        }

        return StartContainerResult.Success(name);
    }

    private async Task<StartContainerResult> RunPostStartAsync(V1Pod pod, V1Container container, ContainerId id,
        V1LifecycleHandler postStart, PodSandboxInfo sandbox, int stopSignal, CancellationToken cancellationToken)
    {
        var podIP = sandbox.PodIPs.Count > 0 ? sandbox.PodIPs[0] : null;
        var failure = await handlers.RunAsync(id, pod, container, postStart, podIP, cancellationToken).ConfigureAwait(false);
        if (failure is null)
        {
            return StartContainerResult.Success(container.Name);
        }

        Log.PostStartFailed(logger, pod.Metadata?.NamespaceProperty, pod.Metadata?.Name, container.Name, failure);
        recorder.ContainerEvent(pod, container.Name, EventTypes.Warning, EventReasons.FailedPostStartHook, "PostStartHook failed");
        await killer.KillContainerAsync(new KillContainerRequest(pod, container, id, "FailedPostStartHook",
            KillReason.FailedPostStartHook, null, null, podIP, stopSignal), cancellationToken).ConfigureAwait(false);
        return new StartContainerResult(container.Name, ContainerWaitingReasons.PostStartHookError, failure);
    }

    private StartContainerResult Fail(V1Pod pod, string name, string reason, string message)
    {
        Log.StartFailed(logger, pod.Metadata?.NamespaceProperty, pod.Metadata?.Name, name, reason, message);
        recorder.ContainerEvent(pod, name, EventTypes.Warning, EventReasons.FailedToStartContainer, $"Error: {message}");
        return new StartContainerResult(name, reason, message);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5311, Level = LogLevel.Information, Message = "Started container {Container} ({ContainerId}) of pod {Namespace}/{Pod}, restart count {RestartCount}")]
        public static partial void Started(ILogger logger, string? @namespace, string? pod, string container, string containerId, int restartCount);

        [LoggerMessage(EventId = 5312, Level = LogLevel.Warning, Message = "Container {Container} of pod {Namespace}/{Pod} failed to start ({Reason}): {Message}")]
        public static partial void StartFailed(ILogger logger, string? @namespace, string? pod, string container, string reason, string message);

        [LoggerMessage(EventId = 5313, Level = LogLevel.Warning, Message = "PostStart hook of container {Container} in pod {Namespace}/{Pod} failed: {Failure}")]
        public static partial void PostStartFailed(ILogger logger, string? @namespace, string? pod, string container, string failure);
    }
}
