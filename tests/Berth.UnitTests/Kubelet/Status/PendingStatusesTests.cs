using Berth.Kubelet.Status;
using k8s.Models;

namespace Berth.UnitTests.Kubelet.Status;

public sealed class PendingStatusesTests
{
    [Theory]
    [InlineData("Pending", "ContainerCreating", true)]
    [InlineData("Pending", "PodInitializing", true)]
    [InlineData("Pending", "CreateContainerConfigError", false)]
    [InlineData("Pending", "CrashLoopBackOff", false)]
    [InlineData("Running", "ContainerCreating", false)]
    public void IsCreatingContainers_WaitingReason_OnlyCreation(string phase, string reason, bool expected)
    {
        var status = new V1PodStatus { Phase = phase, ContainerStatuses = [Waiting("app", reason)] };

        Assert.Equal(expected, PendingStatuses.IsCreatingContainers(status));
    }

    [Fact]
    public void IsCreatingContainers_OneContainerRunning_False()
    {
        var running = new V1ContainerStatus { Name = "b", State = new V1ContainerState { Running = new V1ContainerStateRunning() } };
        var status = new V1PodStatus { Phase = "Pending", ContainerStatuses = [Waiting("a", "ContainerCreating"), running] };

        Assert.False(PendingStatuses.IsCreatingContainers(status));
    }

    [Fact]
    public void IsCreatingContainers_InitContainerTerminatedBefore_False()
    {
        var init = Waiting("init", "PodInitializing");
        init.LastState = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 1 } };
        var status = new V1PodStatus { Phase = "Pending", InitContainerStatuses = [init], ContainerStatuses = [Waiting("app", "PodInitializing")] };

        Assert.False(PendingStatuses.IsCreatingContainers(status));
    }

    [Fact]
    public void IsCreatingContainers_NoContainerStatuses_False() =>
        Assert.False(PendingStatuses.IsCreatingContainers(new V1PodStatus { Phase = "Pending" }));

    private static V1ContainerStatus Waiting(string name, string reason) =>
        new() { Name = name, State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason } } };
}
