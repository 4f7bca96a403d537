using Berth.Kubelet.Runtime;
using k8s.Models;

namespace Berth.UnitTests.Kubelet.Streaming;

/// <summary>Typed pods matching <see cref="Berth.UnitTests.Kubelet.Runtime.RuntimeHarness.Config"/> (default/web, container app).</summary>
internal static class StreamingPods
{
    public const string Uid = "0b5c3d7e-1111-4a2b-9c3d-000000000001";

    public static V1Pod Pod(V1ContainerStatus? status, params string[] containers) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = Uid },
        Spec = new V1PodSpec
        {
            NodeName = "node-1",
            Containers = (containers.Length == 0 ? ["app"] : containers).Select(c => new V1Container { Name = c, Image = "busybox" }).ToList(),
        },
        Status = new V1PodStatus { ContainerStatuses = status is null ? null : [status] },
    };

    public static V1ContainerStatus Running(ContainerId id, int restarts = 0, ContainerId? last = null) => new()
    {
        Name = "app",
        ContainerID = id.ToUri(),
        RestartCount = restarts,
        State = new V1ContainerState { Running = new V1ContainerStateRunning() },
        LastState = last is { } l ? new V1ContainerState { Terminated = new V1ContainerStateTerminated { ContainerID = l.ToUri(), ExitCode = 1 } } : null,
    };

    public static V1ContainerStatus Terminated(ContainerId id) => new()
    {
        Name = "app",
        ContainerID = id.ToUri(),
        State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ContainerID = id.ToUri(), ExitCode = 0 } },
    };

    public static V1ContainerStatus Waiting(string reason) => new()
    {
        Name = "app",
        State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason } },
    };
}
