using Berth.Kubelet.Runtime;

namespace Berth.Kubelet.Container;

/// <summary>
/// What the runtime knows about one pod's containers at one moment: every instance (running and exited), newest
/// first, so the first match by name is the current instance and the second the previous one.
/// Mirrors kubernetes/kubernetes pkg/kubelet/container/runtime.go (PodStatus).
/// </summary>
/// <remarks>Immutable snapshot; build a new one (<see cref="From"/>) for every sync.</remarks>
public sealed class PodRuntimeStatus
{
    private PodRuntimeStatus(string podUid, IReadOnlyList<ContainerStatus> containers)
    {
        PodUid = podUid;
        Containers = containers;
    }

    public string PodUid { get; }

    /// <summary>All instances of the pod's containers, newest (by creation, then attempt) first.</summary>
    public IReadOnlyList<ContainerStatus> Containers { get; }

    /// <summary>Instances whose main process runs.</summary>
    public IEnumerable<ContainerStatus> Running => Containers.Where(c => c.State == ContainerState.Running);

    /// <summary>True when some instance may still have processes (Running, or Created with a start in flight).</summary>
    public bool HasRunning => Containers.Any(c => c.State == ContainerState.Running);

    /// <summary>An empty status for a pod the runtime has nothing of.</summary>
    public static PodRuntimeStatus Empty(string podUid) => new(podUid, []);

    /// <summary>The pod's instances out of a runtime listing.</summary>
    public static PodRuntimeStatus From(string podUid, IEnumerable<ContainerStatus> all) => new(podUid,
        [.. all.Where(c => c.PodUid == podUid).OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Attempt)]);

    /// <summary>The newest instance of <paramref name="containerName"/>, or null when none exists.</summary>
    public ContainerStatus? FindContainerStatusByName(string containerName) =>
        Containers.FirstOrDefault(c => c.ContainerName == containerName);

    /// <summary>The newest Exited instance of <paramref name="containerName"/> (the crash-loop back-off reference).</summary>
    public ContainerStatus? FindLatestExited(string containerName) =>
        Containers.FirstOrDefault(c => c.ContainerName == containerName && c.State == ContainerState.Exited);
}
