using Berth.Kubelet.KubeRuntime;
using Berth.Kubelet.Runtime;
using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;

namespace Berth.UnitTests.Kubelet;

/// <summary>Agent restart (adopt or kill what the runtime still runs), housekeeping, graceful node shutdown.</summary>
public sealed class KubeletAdoptionTests : IAsyncDisposable
{
    private readonly KubeletHarness _h = new();

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RunAsync_ContainerOfVanishedPod_KilledWithGraceOne()
    {
        var gone = TestPods.Pod("gone");
        gone.Spec.Containers[0].Lifecycle = new V1Lifecycle { PreStop = TestPods.ExecHook("/bin/slow") };
        var id = await StartInRuntimeAsync(gone, new FakeContainerBehavior { OnStopSignal = null, Exec = _ => new FakeExecResult(TimeSpan.FromSeconds(10), 0, "") });

        await _h.StartAsync();
        // Small steps: the hook's start is recorded when its task runs, so a busy machine that runs it one step late
        // shifts every later time by that step.
        await _h.Time.AdvanceUntilAsync(() => _h.Runtime.Records("Killed", "app").Count == 1, TimeSpan.FromSeconds(10),
            step: TimeSpan.FromMilliseconds(50), because: "orphan killed");

        var hook = _h.Runtime.Records("ExecStarted", "app").Single().Time;
        Assert.Equal(1, _h.Runtime.Records("StopSignal", "app").Single().Time.SecondsSince(hook), 0.35);
        Assert.Equal(3, _h.Runtime.Records("Killed", "app").Single().Time.SecondsSince(hook), 0.35);
        Assert.Equal(ContainerState.Exited, (await _h.Runtime.GetContainerStatusAsync(id)).State);
    }

    [Fact]
    public async Task RunAsync_RunningContainerOfExistingPod_AdoptedNotRestarted()
    {
        var pod = _h.Create(TestPods.Pod());
        var id = await StartInRuntimeAsync(pod, new FakeContainerBehavior());

        await _h.StartAsync();
        await _h.WaitForRunningAsync();
        await _h.Time.AdvanceAsync(TimeSpan.FromSeconds(3));

        Assert.Single(_h.Runtime.Created);
        Assert.Equal(id.ToUri(), _h.ContainerStatus("app")!.ContainerID);
        Assert.Empty(_h.Runtime.Records("StopSignal"));
    }

    [Fact]
    public async Task Housekeeping_PodGoneAndFinished_ContainersRemoved()
    {
        await _h.StartAsync();
        var pod = _h.Create(TestPods.Pod());
        await _h.WaitForRunningAsync();

        await _h.DeleteAsync("web", 5);
        await _h.Time.AdvanceUntilAsync(() => _h.Get() is null, TimeSpan.FromSeconds(10), because: "deleted");
        await _h.Time.AdvanceUntilAsync(() => _h.Runtime.Records("Removed").Count == 1, TimeSpan.FromSeconds(10), because: "container GC");

        Assert.Empty(await _h.Runtime.ListContainersAsync());
        Assert.Null(_h.Kubelet.PodWorkers.GetState(pod.Metadata.Uid));
    }

    [Fact]
    public async Task ShutdownAsync_RegularThenCriticalPods_FailedWithShutdownReason()
    {
        _h.Runtime.Behavior = _ => new FakeContainerBehavior { OnStopSignal = (TimeSpan.FromSeconds(1), 0) };
        await _h.StartAsync();
        _h.Create(TestPods.Pod("web"));
        var critical = TestPods.Pod("dns", TestPods.Container("dns"));
        critical.Spec.PriorityClassName = "system-node-critical";
        _h.Create(critical);
        await _h.WaitForRunningAsync("app", "web");
        await _h.WaitForRunningAsync("dns", "dns");

        var shutdown = _h.Kubelet.ShutdownAsync(TimeSpan.FromSeconds(20), CancellationToken.None);
        await _h.Time.AdvanceUntilAsync(() => shutdown.IsCompleted, TimeSpan.FromSeconds(30), because: "shutdown");
        await shutdown;

        foreach (var name in new[] { "web", "dns" })
        {
            var status = _h.Get(name)!.Status;
            Assert.Equal(("Failed", "Terminated", "Pod was terminated in response to imminent node shutdown."), (status.Phase, status.Reason, status.Message));
            Assert.Contains(status.Conditions, c => c.Type == "DisruptionTarget" && c.Reason == "TerminationByKubelet");
        }

        Assert.True(_h.Runtime.Records("StopSignal", "dns").Single().Time >= _h.Runtime.Records("Exited", "app").Single().Time);
        Assert.Empty(_h.RecordingApi.Deletes);
    }

    private async Task<ContainerId> StartInRuntimeAsync(V1Pod pod, FakeContainerBehavior behavior)
    {
        _h.Runtime.Behavior = _ => behavior;
        var spec = pod.Spec.Containers[0];
        var id = await _h.Runtime.CreateContainerAsync(new ContainerConfig
        {
            PodUid = pod.Metadata.Uid,
            PodNamespace = "default",
            PodName = pod.Metadata.Name,
            ContainerName = spec.Name,
            Argv = ["/bin/app"],
            Labels = ContainerLabels.NewContainerLabels(pod, spec),
            Annotations = ContainerLabels.NewContainerAnnotations(pod, spec, 0, 15),
        });
        await _h.Runtime.StartContainerAsync(id);
        return id;
    }
}
