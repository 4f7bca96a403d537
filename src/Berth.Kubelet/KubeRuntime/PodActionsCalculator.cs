using Berth.Kubelet.Container;
using Berth.Kubelet.Prober;
using Berth.Kubelet.Runtime;
using k8s.Models;

namespace Berth.Kubelet.KubeRuntime;

/// <summary>
/// Decides, from the spec and the runtime snapshot, which containers to start and which to kill: init containers in
/// order (see <see cref="InitContainerActions"/>), then main containers once initialized. A main container that is
/// not running is started if <see cref="ContainerRestarts.ShouldContainerBeRestarted"/> says so; a running one is
/// killed when its definition changed (restarted regardless of policy), or its liveness/startup probe failed
/// (restarted unless the policy is Never). With nothing to keep and nothing to start the whole pod is killed.
/// An ephemeral container is started once, when the runtime has no instance of it, and never restarted.
/// The sandbox is the pod IP, which a process runtime never loses while the agent runs, so the sandbox-changed
/// branch of upstream does not exist here. Mirrors kubernetes/kubernetes pkg/kubelet/kuberuntime/kuberuntime_manager.go
/// (computePodActions).
/// </summary>
public sealed class PodActionsCalculator(ProbeManager probes)
{
    public PodActions Compute(V1Pod pod, PodRuntimeStatus podStatus)
    {
        var actions = new PodActions();
        var ephemeral = PodSpecs.EphemeralContainers(pod);
        for (var i = 0; i < ephemeral.Count; i++)
        {
            // Ephemeral containers start even before initialization completes, and never restart.
            if (podStatus.FindContainerStatusByName(ephemeral[i].Name) is null)
            {
                actions.EphemeralContainersToStart.Add(i);
            }
        }

        var initialized = new InitContainerActions(probes).Compute(pod, podStatus, actions);
        if (actions.KillPod || !initialized)
        {
            return actions;
        }

        var keep = 0;
        var containers = PodSpecs.Containers(pod);
        for (var i = 0; i < containers.Count; i++)
        {
            keep += ComputeContainer(pod, podStatus, containers[i], i, actions) ? 1 : 0;
        }

        if (keep == 0 && actions.ContainersToStart.Count == 0)
        {
            actions.KillPod = true;
            actions.InitContainersToStart = [];
        }

        return actions;
    }

    // One main container: start it if it is down and may restart, or kill (and maybe restart) it; true to keep it.
    private bool ComputeContainer(V1Pod pod, PodRuntimeStatus podStatus, V1Container container, int index, PodActions actions)
    {
        var status = podStatus.FindContainerStatusByName(container.Name);
        if (status is null || status.State != ContainerState.Running)
        {
            if (ContainerRestarts.ShouldContainerBeRestarted(container, pod, podStatus))
            {
                actions.ContainersToStart.Add(index);
                if (status is { State: ContainerState.Unknown })
                {
                    actions.ContainersToKill[status.Id] = new ContainerToKill(container.Name, container,
                        "Container is in \"Unknown\" state, try killing it before restart", KillReason.Unknown);
                }
            }

            return false;
        }

        if (KillReasonFor(container, status, pod) is not { } kill)
        {
            return true;
        }

        if (kill.Restart)
        {
            actions.ContainersToStart.Add(index);
        }

        actions.ContainersToKill[status.Id] = new ContainerToKill(container.Name, container,
            kill.Restart ? kill.Message + ", will be restarted" : kill.Message, kill.Reason);
        return false;
    }

    private (string Message, KillReason Reason, bool Restart)? KillReasonFor(V1Container container, ContainerStatus status, V1Pod pod)
    {
        var restart = PodSpecs.ShouldRestartOnFailure(pod);
        if (status.Annotations.TryGetValue(ContainerLabels.ContainerHash, out var hash) && hash != ContainerHashes.Hash(container))
        {
            return ($"Container {container.Name} definition changed", KillReason.Unknown, true);
        }

        if (probes.Liveness.TryGet(status.Id, out var liveness) && liveness == ProbeResult.Failure)
        {
            return ($"Container {container.Name} failed liveness probe", KillReason.LivenessProbe, restart);
        }

        if (probes.Startup.TryGet(status.Id, out var startup) && startup == ProbeResult.Failure)
        {
            return ($"Container {container.Name} failed startup probe", KillReason.StartupProbe, restart);
        }

        return null;
    }
}
