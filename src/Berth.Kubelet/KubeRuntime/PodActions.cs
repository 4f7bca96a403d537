using Berth.Kubelet.Runtime;
using k8s.Models;

namespace Berth.Kubelet.KubeRuntime;

/// <summary>
/// What one SyncPod must do to a pod's containers. <see cref="KillPod"/>: stop everything (all main containers are
/// done and none restarts, so sidecars must go too). Start lists are spec indexes in start order.
/// Mirrors kubernetes/kubernetes pkg/kubelet/kuberuntime/kuberuntime_manager.go (podActions).
/// </summary>
public sealed class PodActions
{
    public bool KillPod { get; set; }

    public List<int> InitContainersToStart { get; set; } = [];

    public List<int> ContainersToStart { get; } = [];

    /// <summary>Indexes into <c>spec.ephemeralContainers</c> of those never started; started before init containers.</summary>
    public List<int> EphemeralContainersToStart { get; } = [];

    public Dictionary<ContainerId, ContainerToKill> ContainersToKill { get; } = [];
}

/// <summary>A running container to kill before (maybe) restarting it, with the <c>Killing</c> message.</summary>
public sealed record ContainerToKill(string Name, V1Container Spec, string Message, KillReason Reason);
