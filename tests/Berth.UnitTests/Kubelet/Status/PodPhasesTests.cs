using Berth.Kubelet.Status;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;

namespace Berth.UnitTests.Kubelet.Status;

/// <summary>getPhase (kubelet_pods.go) over container state tables.</summary>
public sealed class PodPhasesTests
{
    [Theory]
    [InlineData("Always", "running", false, "Running")]
    [InlineData("Always", "waiting", false, "Pending")]
    [InlineData("Always", "exit0", false, "Running")]
    [InlineData("Always", "exit1", false, "Running")]
    [InlineData("OnFailure", "exit0", false, "Succeeded")]
    [InlineData("OnFailure", "exit1", false, "Running")]
    [InlineData("Never", "exit1", false, "Failed")]
    [InlineData("Never", "exit0", false, "Succeeded")]
    [InlineData("Always", "exit0", true, "Succeeded")]
    [InlineData("Always", "exit1", true, "Failed")]
    [InlineData("Always", "crashloop", false, "Running")]
    [InlineData("Always", "crashloop", true, "Failed")]
    public void GetPhase_SingleContainer_Table(string restartPolicy, string state, bool podIsTerminal, string expected)
    {
        var pod = TestPods.Pod();
        pod.Spec.RestartPolicy = restartPolicy;

        Assert.Equal(expected, PodPhases.GetPhase(pod, [Status("app", state)], podIsTerminal, true));
    }

    [Fact]
    public void GetPhase_InitContainerRunning_Pending()
    {
        var pod = TestPods.Pod();
        pod.Spec.InitContainers = [TestPods.Container("init")];

        Assert.Equal("Pending", PodPhases.GetPhase(pod, [Status("init", "running"), Status("app", "waiting")], false, false));
    }

    [Fact]
    public void GetPhase_InitFailedRestartNever_Failed()
    {
        var pod = TestPods.Pod();
        pod.Spec.RestartPolicy = "Never";
        pod.Spec.InitContainers = [TestPods.Container("init")];

        Assert.Equal("Failed", PodPhases.GetPhase(pod, [Status("init", "exit1"), Status("app", "waiting")], false, false));
    }

    [Fact]
    public void GetPhase_SidecarRunningMainsDone_TerminalPhaseIgnoresStoppedSidecar()
    {
        var pod = TestPods.Pod();
        pod.Spec.RestartPolicy = "Never";
        pod.Spec.InitContainers = [TestPods.Sidecar("proxy")];

        Assert.Equal("Running", PodPhases.GetPhase(pod, [Status("proxy", "running", started: true), Status("app", "exit0")], false, true));
        Assert.Equal("Succeeded", PodPhases.GetPhase(pod, [Status("proxy", "exit1"), Status("app", "exit0")], true, true));
    }

    [Fact]
    public void GetPhase_UnknownContainer_Pending()
    {
        Assert.Equal("Pending", PodPhases.GetPhase(TestPods.Pod(), [], false, false));
    }

    internal static V1ContainerStatus Status(string name, string state, bool started = false) => new()
    {
        Name = name,
        Started = started,
        State = state switch
        {
            "running" => new V1ContainerState { Running = new V1ContainerStateRunning() },
            "exit0" => new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 0 } },
            "exit1" => new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 1 } },
            "crashloop" => new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff" } },
            _ => new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ContainerCreating" } },
        },
        LastState = state == "crashloop" ? new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 1 } } : null,
    };
}
