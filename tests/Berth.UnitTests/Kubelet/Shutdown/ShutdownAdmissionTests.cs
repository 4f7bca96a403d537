using Berth.UnitTests.Kubelet.TestSupport;

namespace Berth.UnitTests.Kubelet.Shutdown;

/// <summary>
/// The node shutdown manager's admission: once a graceful node shutdown began, a pod the node has not seen (e.g. a
/// controller's replacement for a pod the shutdown killed) is never started; it ends Failed with reason
/// NodeShutdown and a Warning event, as upstream's rejectPod does. Pods admitted before keep their normal shutdown.
/// </summary>
public sealed class ShutdownAdmissionTests
{
    [Fact]
    public async Task Shutdown_PodArrivesDuringShutdown_RejectedWithNodeShutdownAndNeverStarted()
    {
        await using var h = new KubeletHarness();
        await h.StartAsync();
        h.Create(TestPods.Pod("web").WithGrace(2));
        await h.WaitForRunningAsync();

        var shutdown = h.Kubelet.ShutdownAsync(TimeSpan.FromSeconds(20), CancellationToken.None);
        h.Create(TestPods.Pod("late"));
        await h.Time.AdvanceUntilAsync(() => shutdown.IsCompleted && h.Get("late")?.Status?.Phase == "Failed", TimeSpan.FromSeconds(60),
            because: "the shutdown returns and the late pod's rejection reaches the API");
        await shutdown;

        var late = h.Get("late")!;
        Assert.Equal(("Failed", "NodeShutdown", "Pod was rejected: Pod was rejected as the node is shutting down."),
            (late.Status.Phase, late.Status.Reason, late.Status.Message));
        var warning = Assert.Single(h.Events.WithReason("NodeShutdown"));
        Assert.Equal(("Warning", "Pod was rejected as the node is shutting down."), (warning.Type, warning.Message));
        Assert.DoesNotContain(h.Runtime.Created, c => c.PodName == "late");
        Assert.Equal(("Failed", "Terminated"), (h.Get("web")!.Status.Phase, h.Get("web")!.Status.Reason));
    }

    [Fact]
    public async Task Shutdown_Returned_NoContainerOfTheNodeRuns()
    {
        await using var h = new KubeletHarness();
        await h.StartAsync();
        h.Runtime.Behavior = _ => new Berth.Testing.Fakes.FakeContainerBehavior { OnStopSignal = null };
        h.Create(TestPods.Pod("web").WithGrace(60));
        await h.WaitForRunningAsync();

        var shutdown = h.Kubelet.ShutdownAsync(TimeSpan.FromSeconds(6), CancellationToken.None);
        await h.Time.AdvanceUntilAsync(() => shutdown.IsCompleted, TimeSpan.FromSeconds(60), because: "shutdown returns");
        await shutdown;

        Assert.DoesNotContain(await h.ContainerRuntime.ListContainersAsync(), c => c.State == Berth.Kubelet.Runtime.ContainerState.Running);
        Assert.Equal(("Failed", "Terminated"), (h.Get("web")!.Status.Phase, h.Get("web")!.Status.Reason));
    }
}
