using Berth.Kubelet.Runtime;
using k8s.Models;

namespace Berth.Kubelet.Container;

/// <summary>
/// Whether a container that is not running should be started (again). Mirrors kubernetes/kubernetes
/// pkg/kubelet/container/helpers.go (ShouldContainerBeRestarted).
/// </summary>
public static class ContainerRestarts
{
    /// <summary>
    /// False once the pod is being deleted (no container of a terminating pod ever starts again). Otherwise true for a
    /// container that never ran, or whose newest instance is Created/Unknown; for an Exited one it follows the
    /// restart policy (sidecars always restart; OnFailure only after a non-zero exit; Never not at all).
    /// </summary>
    public static bool ShouldContainerBeRestarted(V1Container container, V1Pod pod, PodRuntimeStatus podStatus)
    {
        if (PodSpecs.IsDeleting(pod))
        {
            return false;
        }

        var status = podStatus.FindContainerStatusByName(container.Name);
        if (status is null)
        {
            return true;
        }

        switch (status.State)
        {
            case ContainerState.Running:
                return false;
            case ContainerState.Unknown or ContainerState.Created:
                return true;
        }

        if (PodSpecs.IsSidecar(pod, container.Name))
        {
            return true;
        }

        return PodSpecs.RestartPolicy(pod) switch
        {
            PodSpecs.RestartPolicyNever => false,
            PodSpecs.RestartPolicyOnFailure => status.ExitCode != 0,
            _ => true,
        };
    }
}
