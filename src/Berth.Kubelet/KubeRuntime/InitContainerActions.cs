using Berth.Kubelet.Container;
using Berth.Kubelet.Prober;
using Berth.Kubelet.Runtime;
using k8s.Models;

namespace Berth.Kubelet.KubeRuntime;

/// <summary>
/// The init-container part of computePodActions. Walks init containers backwards from the last to find the next one
/// to run (completed ones may have been removed); regular init containers run one at a time and must exit 0 (a
/// failure kills the pod under restartPolicy Never, else restarts it); sidecars start in order, each once the previous
/// one has started (its startup probe succeeded), and are restarted whenever they exit, fail liveness/startup or
/// change definition. Returns whether the pod has initialized. Mirrors kubernetes/kubernetes
/// pkg/kubelet/kuberuntime/kuberuntime_manager.go (computeInitContainerActions).
/// </summary>
internal sealed class InitContainerActions(ProbeManager probes)
{
    public bool Compute(V1Pod pod, PodRuntimeStatus podStatus, PodActions actions)
    {
        var inits = PodSpecs.InitContainers(pod);
        if (inits.Count == 0)
        {
            return true;
        }

        var initialized = PodSpecs.Containers(pod).Any(c =>
            podStatus.FindContainerStatusByName(c.Name) is { State: ContainerState.Created or ContainerState.Running });
        var previouslyInitialized = initialized;
        var toStart = new List<int>();
        for (var i = inits.Count - 1; i >= 0; i--)
        {
            var step = Visit(pod, podStatus, inits[i], i, previouslyInitialized, toStart, actions);
            if (step == Step.KillPod)
            {
                actions.KillPod = true;
                actions.InitContainersToStart = [];
                return false;
            }

            initialized |= step == Step.Initialized;
            previouslyInitialized |= step != Step.Skipped;
        }

        if (!previouslyInitialized)
        {
            toStart.Add(0);
        }

        toStart.Reverse();
        actions.InitContainersToStart = toStart;
        return initialized;
    }

    // One init container, walking backwards; Skipped when it has no status or is a completed regular one.
    private Step Visit(V1Pod pod, PodRuntimeStatus podStatus, V1Container container, int i, bool previouslyInitialized,
        List<int> toStart, PodActions actions)
    {
        var sidecar = PodSpecs.IsRestartableInitContainer(container);
        var status = podStatus.FindContainerStatusByName(container.Name);
        if (status is null)
        {
            if (previouslyInitialized && sidecar)
            {
                toStart.Add(i);
            }

            return Step.Skipped;
        }

        if (previouslyInitialized && !sidecar)
        {
            return Step.Skipped;
        }

        var count = PodSpecs.InitContainers(pod).Count;
        return sidecar ? Sidecar(container, status, i, count, previouslyInitialized, toStart, actions)
            : Regular(pod, status, i, count, toStart, actions);
    }

    private static Step Regular(V1Pod pod, ContainerStatus status, int i, int count, List<int> toStart, PodActions actions)
    {
        switch (status.State)
        {
            case ContainerState.Created:
                toStart.Add(i);
                return Step.None;
            case ContainerState.Running:
                return Step.None;
            case ContainerState.Exited when status.ExitCode == 0:
                if (i == count - 1)
                {
                    return Step.Initialized;
                }

                toStart.Add(i + 1);
                return Step.None;
            case ContainerState.Exited:
                if (!PodSpecs.ShouldRestartOnFailure(pod))
                {
                    return Step.KillPod;
                }

                toStart.Add(i);
                return Step.None;
            default:
                if (!PodSpecs.ShouldRestartOnFailure(pod))
                {
                    return Step.KillPod;
                }

                actions.ContainersToKill[status.Id] = new ContainerToKill(status.ContainerName, PodSpecs.GetContainerSpec(pod, status.ContainerName)!,
                    "Init container is in \"Unknown\" state, try killing it before restart", KillReason.Unknown);
                toStart.Add(i);
                return Step.None;
        }
    }

    private Step Sidecar(V1Container container, ContainerStatus status, int i, int count, bool previouslyInitialized,
        List<int> toStart, PodActions actions)
    {
        if (status.State is ContainerState.Created or ContainerState.Exited)
        {
            toStart.Add(i);
            return Step.None;
        }

        if (status.State != ContainerState.Running)
        {
            Kill(container, status, i, "Init container is in \"Unknown\" state, try killing it before restart", KillReason.Unknown, toStart, actions);
            return Step.None;
        }

        if (container.StartupProbe is not null)
        {
            if (!probes.Startup.TryGet(status.Id, out var startup) || startup == ProbeResult.Unknown)
            {
                return Step.None;
            }

            if (startup == ProbeResult.Failure)
            {
                Kill(container, status, i, $"Init container {container.Name} failed startup probe", KillReason.StartupProbe, toStart, actions);
                return Step.None;
            }
        }

        var result = i == count - 1 ? Step.Initialized : Step.None;
        if (i < count - 1 && !previouslyInitialized)
        {
            toStart.Add(i + 1);
        }

        if (status.Annotations.TryGetValue(ContainerLabels.ContainerHash, out var hash) && hash != ContainerHashes.Hash(container))
        {
            Kill(container, status, i, $"Init container {container.Name} definition changed", KillReason.Unknown, toStart, actions);
        }
        else if (container.LivenessProbe is not null && probes.Liveness.TryGet(status.Id, out var liveness) && liveness == ProbeResult.Failure)
        {
            Kill(container, status, i, $"Init container {container.Name} failed liveness probe", KillReason.LivenessProbe, toStart, actions);
        }

        return result;
    }

    private static void Kill(V1Container container, ContainerStatus status, int i, string message, KillReason reason,
        List<int> toStart, PodActions actions)
    {
        actions.ContainersToKill[status.Id] = new ContainerToKill(container.Name, container, message, reason);
        toStart.Add(i);
    }

    private enum Step
    {
        /// <summary>Not looked at (no status, or a regular init container of an initialized pod).</summary>
        Skipped,

        None,
        Initialized,
        KillPod,
    }
}
