using k8s.Models;

namespace Berth.Kubelet.Status;

/// <summary>Classifies the statuses the status manager may hold back (<see cref="KubeletOptions.PendingStatusHold"/>).</summary>
internal static class PendingStatuses
{
    /// <summary>
    /// True for a Pending status with at least one container status, where every init and main container is waiting
    /// as ContainerCreating or PodInitializing: nothing has run or failed yet, so the next status supersedes it.
    /// </summary>
    public static bool IsCreatingContainers(V1PodStatus status)
    {
        if (status.Phase != PodPhases.Pending)
        {
            return false;
        }

        var containers = (status.InitContainerStatuses ?? []).Concat(status.ContainerStatuses ?? []).ToList();
        return containers.Count > 0 && containers.All(c =>
            c.State?.Waiting?.Reason is ContainerWaitingReasons.ContainerCreating or ContainerWaitingReasons.PodInitializing
            && c.State.Running is null && c.State.Terminated is null && c.LastState?.Terminated is null);
    }
}
