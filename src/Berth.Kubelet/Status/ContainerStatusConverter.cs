using Berth.Kubelet.Container;
using Berth.Kubelet.Runtime;
using Berth.Machinery.Serialization;
using k8s;
using k8s.Models;

namespace Berth.Kubelet.Status;

/// <summary>
/// Turns the runtime's container instances into API container statuses: the newest instance is the state, the one
/// before it the lastState; a container with no instance keeps its previous status (a vanished running container
/// gets lastState ContainerStatusUnknown/137); a container due for a restart whose last start failed shows the cached
/// waiting reason (CrashLoopBackOff …) with its termination moved to lastState. Main containers are sorted by name,
/// init containers keep spec order. <c>ready</c>/<c>started</c> are filled in later by the probe manager. The
/// terminated <c>message</c> is the runtime's (start failure and/or termination message, see ProcessRuntime).
/// <c>lastState</c> is never null (an empty object without a previous termination, as upstream always serialises it);
/// <c>volumeMounts</c> follow <see cref="VolumeMountStatuses"/>.
/// Mirrors kubernetes/kubernetes pkg/kubelet/kubelet_pods.go (convertToAPIContainerStatuses).
/// </summary>
internal static class ContainerStatusConverter
{
    public const string UnknownAtTerminationMessage = "The container could not be located when the pod was terminated";
    public const string UnknownAtDeletionMessage = "The container could not be located when the pod was deleted.  The container used to be Running";

    public static List<V1ContainerStatus> Convert(V1Pod pod, PodRuntimeStatus podStatus, IList<V1ContainerStatus>? previous,
        IList<V1Container> containers, bool isInit, ReasonCache reasons)
    {
        var hasInit = PodSpecs.InitContainers(pod).Count > 0;
        var old = (previous ?? []).GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.First());
        var statuses = new Dictionary<string, V1ContainerStatus>();
        foreach (var container in containers)
        {
            statuses[container.Name] = Default(container, old.GetValueOrDefault(container.Name), hasInit);
        }

        MarkVanished(pod, podStatus, containers, old, statuses, hasInit);
        ApplyRuntimeInstances(podStatus, old, statuses);
        ApplyWaitingReasons(pod, podStatus, containers, isInit, reasons, statuses);
        ApplyStopSignals(containers, statuses);
        foreach (var status in statuses.Values)
        {
            // A previous status written before lastState was always set (an API copy from an older Berth) has none.
            status.LastState ??= new V1ContainerState();
        }

        return isInit
            ? [.. containers.Select(c => statuses[c.Name])]
            : [.. statuses.Values.OrderBy(s => s.Name, StringComparer.Ordinal)];
    }

    private static V1ContainerStatus Default(V1Container container, V1ContainerStatus? old, bool hasInit)
    {
        if (old?.State?.Terminated is not null)
        {
            return Clone(old);
        }

        var reason = hasInit ? ContainerWaitingReasons.PodInitializing : ContainerWaitingReasons.ContainerCreating;
        return new V1ContainerStatus
        {
            Name = container.Name,
            Image = container.Image,
            ImageID = "",
            State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason } },
            RestartCount = old?.RestartCount ?? 0,
            LastState = old?.LastState is { } last ? Clone(last) : new V1ContainerState(),
            VolumeMounts = VolumeMountStatuses.FromSpec(container),
        };
    }

    private static void MarkVanished(V1Pod pod, PodRuntimeStatus podStatus, IList<V1Container> containers,
        Dictionary<string, V1ContainerStatus> old, Dictionary<string, V1ContainerStatus> statuses, bool hasInit)
    {
        foreach (var container in containers)
        {
            if (podStatus.FindContainerStatusByName(container.Name) is not null
                || !old.TryGetValue(container.Name, out var previous)
                || previous.State?.Running is null)
            {
                continue;
            }

            var status = statuses[container.Name];
            var defaultReason = hasInit ? ContainerWaitingReasons.PodInitializing : ContainerWaitingReasons.ContainerCreating;
            if (status.State?.Waiting?.Reason != defaultReason || status.LastState?.Terminated is not null)
            {
                continue;
            }

            status.LastState = new V1ContainerState
            {
                Terminated = new V1ContainerStateTerminated
                {
                    Reason = ContainerReasons.ContainerStatusUnknown,
                    Message = UnknownAtDeletionMessage,
                    ExitCode = ContainerReasons.UnknownExitCode,
                },
            };
            if (!PodSpecs.IsDeleting(pod))
            {
                status.RestartCount++;
            }
        }
    }

    private static void ApplyRuntimeInstances(PodRuntimeStatus podStatus, Dictionary<string, V1ContainerStatus> old,
        Dictionary<string, V1ContainerStatus> statuses)
    {
        var seen = new Dictionary<string, int>();
        foreach (var instance in podStatus.Containers)
        {
            var name = instance.ContainerName;
            if (!statuses.TryGetValue(name, out var current) || seen.GetValueOrDefault(name) >= 2)
            {
                continue;
            }

            var converted = FromRuntime(instance, current.Image, old.GetValueOrDefault(name));
            if (seen.GetValueOrDefault(name) == 0)
            {
                statuses[name] = converted;
            }
            else
            {
                current.LastState = converted.State;
            }

            seen[name] = seen.GetValueOrDefault(name) + 1;
        }
    }

    private static V1ContainerStatus FromRuntime(ContainerStatus instance, string? image, V1ContainerStatus? old)
    {
        var id = instance.Id.ToUri();
        var status = new V1ContainerStatus
        {
            Name = instance.ContainerName,
            Image = image,
            ImageID = image,
            ContainerID = id,
            RestartCount = instance.Attempt,
            State = new V1ContainerState(),
            LastState = new V1ContainerState(),
            VolumeMounts = VolumeMountStatuses.CopyOf(old),
        };
        switch (instance.State)
        {
            case ContainerState.Running:
                status.State.Running = new V1ContainerStateRunning { StartedAt = StatusTimes.Truncate(instance.StartedAt) };
                status.Started = old?.State?.Running is not null && old.ContainerID == id ? old.Started : null;
                break;
            case ContainerState.Exited:
                status.State.Terminated = new V1ContainerStateTerminated
                {
                    ExitCode = instance.ExitCode ?? ContainerReasons.UnknownExitCode,
                    Reason = instance.Reason ?? ContainerReasons.ForExitCode(instance.ExitCode ?? ContainerReasons.UnknownExitCode),
                    Message = string.IsNullOrEmpty(instance.Message) ? null : instance.Message,
                    StartedAt = StatusTimes.Truncate(instance.StartedAt),
                    FinishedAt = StatusTimes.Truncate(instance.FinishedAt),
                    ContainerID = id,
                };
                break;
            case ContainerState.Unknown when old?.State?.Running is not null:
                status.State.Terminated = new V1ContainerStateTerminated
                {
                    Reason = ContainerReasons.ContainerStatusUnknown,
                    Message = UnknownAtTerminationMessage,
                    ExitCode = ContainerReasons.UnknownExitCode,
                };
                status.RestartCount = old.RestartCount + 1;
                break;
            default:
                status.State.Waiting = new V1ContainerStateWaiting();
                break;
        }

        return status;
    }

    private static void ApplyWaitingReasons(V1Pod pod, PodRuntimeStatus podStatus, IList<V1Container> containers, bool isInit,
        ReasonCache reasons, Dictionary<string, V1ContainerStatus> statuses)
    {
        foreach (var container in containers)
        {
            var instance = podStatus.FindContainerStatusByName(container.Name);
            if (isInit && instance is { State: ContainerState.Exited, ExitCode: 0 })
            {
                continue;
            }

            if (!ContainerRestarts.ShouldContainerBeRestarted(container, pod, podStatus)
                || !reasons.TryGet(PodSpecs.Uid(pod), container.Name, out var reason))
            {
                continue;
            }

            var status = statuses[container.Name];
            if (status.State?.Terminated is not null)
            {
                status.LastState = status.State;
            }

            status.State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason.Reason, Message = reason.Message } };
        }
    }

    // containerStatuses[].stopSignal (KEP-4960): the effective signal, reported for instances of containers whose
    // lifecycle sets one (the process runtime has no image STOPSIGNAL, so SIGTERM stays implicit otherwise).
    private static void ApplyStopSignals(IList<V1Container> containers, Dictionary<string, V1ContainerStatus> statuses)
    {
        foreach (var container in containers)
        {
            if (container.Lifecycle?.StopSignal is { Length: > 0 } signal && statuses[container.Name] is { ContainerID: { Length: > 0 } } status)
            {
                status.StopSignal = signal;
            }
        }
    }

    private static T Clone<T>(T value) => ApiJson.DeepCopy(value);
}
