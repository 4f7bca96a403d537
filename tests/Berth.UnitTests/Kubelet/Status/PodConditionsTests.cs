using Berth.Kubelet.Status;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;

namespace Berth.UnitTests.Kubelet.Status;

/// <summary>Condition generation (status/generate.go).</summary>
public sealed class PodConditionsTests
{
    [Fact]
    public void GenerateContainersReady_UnreadyAndUnknown_GoStyleMessage()
    {
        var pod = TestPods.Pod("web", TestPods.Container("a"), TestPods.Container("b"), TestPods.Container("c"));
        V1ContainerStatus[] statuses = [new() { Name = "a", Ready = false }, new() { Name = "b", Ready = false }];

        var condition = PodConditions.GenerateContainersReady(pod, statuses, "Running");

        Assert.Equal("ContainersNotReady", condition.Reason);
        Assert.Equal("containers with unknown status: [c], containers with unready status: [a b]", condition.Message);
    }

    [Theory]
    [InlineData("Succeeded", "PodCompleted")]
    [InlineData("Failed", "PodFailed")]
    public void GenerateReady_TerminalPhase_FalseWithPhaseReason(string phase, string reason)
    {
        var pod = TestPods.Pod();
        var condition = PodConditions.GenerateReady(pod, [], [new V1ContainerStatus { Name = "app", Ready = true }], phase);

        Assert.Equal(("Ready", "False", reason), (condition.Type, condition.Status, condition.Reason));
    }

    [Fact]
    public void GenerateReady_ReadinessGateMissing_NotReady()
    {
        var pod = TestPods.Pod();
        pod.Spec.ReadinessGates = [new V1PodReadinessGate { ConditionType = "example.com/lb" }];

        var condition = PodConditions.GenerateReady(pod, [], [new V1ContainerStatus { Name = "app", Ready = true }], "Running");

        Assert.Equal("ReadinessGatesNotReady", condition.Reason);
        Assert.Equal("corresponding condition of pod readiness gate \"example.com/lb\" does not exist.", condition.Message);
    }

    [Fact]
    public void GenerateInitialized_InitIncomplete_FalseWithMessage()
    {
        var pod = TestPods.Pod();
        pod.Spec.InitContainers = [TestPods.Container("init")];

        var condition = PodConditions.GenerateInitialized(pod, [new V1ContainerStatus { Name = "init", Ready = false }], "Pending");

        Assert.Equal(("False", "ContainersNotInitialized", "containers with incomplete status: [init]"), (condition.Status, condition.Reason, condition.Message));
    }
}
