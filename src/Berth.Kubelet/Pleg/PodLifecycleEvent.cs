using Berth.Kubelet.Runtime;

namespace Berth.Kubelet.Pleg;

/// <summary>What changed about a container. Mirrors kubernetes/kubernetes pkg/kubelet/pleg/pleg.go (PodLifeCycleEventType).</summary>
public enum PodLifecycleEventType
{
    ContainerStarted,
    ContainerDied,
    ContainerRemoved,
    ContainerChanged,
}

/// <summary>A change of one container of a pod, observed from an exit notification or a relist.</summary>
public sealed record PodLifecycleEvent(string PodUid, PodLifecycleEventType Type, ContainerId ContainerId);
