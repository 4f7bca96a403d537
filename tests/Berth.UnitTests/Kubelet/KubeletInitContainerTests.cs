using Berth.Machinery.Kinds;
using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;

namespace Berth.UnitTests.Kubelet;

/// <summary>Init containers in order, sidecars started before mains and kept running (computeInitContainerActions).</summary>
public sealed class KubeletInitContainerTests : IAsyncDisposable
{
    private readonly KubeletHarness _h = new();

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task SyncPod_InitThenSidecarThenMain_StartedInOrder()
    {
        _h.Runtime.Behavior = config => config.ContainerName == "init"
            ? new FakeContainerBehavior { ExitAfter = TimeSpan.FromSeconds(1) }
            : new FakeContainerBehavior();
        await _h.StartAsync();
        var pod = TestPods.Pod();
        pod.Spec.InitContainers = [TestPods.Container("init"), TestPods.Sidecar("proxy")];
        _h.Create(pod);

        await _h.WaitForRunningAsync("app");

        Assert.Equal(["init", "proxy", "app"], _h.Runtime.Records("Started").Select(r => r.Container));
        Assert.True(_h.Runtime.Records("Started", "proxy")[0].Time >= _h.Runtime.Records("Exited", "init")[0].Time);
        var status = _h.Get()!.Status;
        Assert.Equal(["init", "proxy"], status.InitContainerStatuses.Select(s => s.Name));
        Assert.Equal("Completed", status.InitContainerStatuses[0].State.Terminated.Reason);
        Assert.NotNull(status.InitContainerStatuses[1].State.Running);
        Assert.Equal("True", status.Conditions.Single(c => c.Type == "Initialized").Status);
    }

    [Fact]
    public async Task SyncPod_NoInitContainers_StatusHasNoInitContainerStatuses()
    {
        // A cluster's kubectl get pod -o yaml shows no initContainerStatuses key for such a pod (omitempty), not [].
        await _h.StartAsync();
        _h.Create(TestPods.Pod());

        await _h.WaitForRunningAsync("app");

        var stored = await _h.Api.GetAsync(KindRegistry.Pods, "default", "web");
        var status = stored["status"]!.AsObject();
        Assert.True(status.ContainsKey("containerStatuses"));
        Assert.False(status.ContainsKey("initContainerStatuses"));
    }

    [Fact]
    public async Task SyncPod_SidecarExits_RestartedWhileMainRuns()
    {
        await _h.StartAsync();
        var pod = TestPods.Pod();
        pod.Spec.InitContainers = [TestPods.Sidecar("proxy")];
        _h.Create(pod);
        await _h.WaitForRunningAsync("app");

        _h.Runtime.Exit(_h.RuntimeContainer("proxy")!.Id, 1);
        await _h.Time.AdvanceUntilAsync(() => _h.Runtime.Records("Started", "proxy").Count == 2, TimeSpan.FromSeconds(20), because: "sidecar restarted");

        Assert.Single(_h.Runtime.Records("Started", "app"));
        Assert.Equal("Running", _h.Get()!.Status.Phase);
    }

    [Fact]
    public async Task SyncPod_InitFailsRestartNever_PodFailedMainNeverStarted()
    {
        _h.Runtime.Behavior = config => config.ContainerName == "init"
            ? new FakeContainerBehavior { ExitAfter = TimeSpan.FromSeconds(1), ExitCode = 3 }
            : new FakeContainerBehavior();
        await _h.StartAsync();
        var pod = TestPods.Pod();
        pod.Spec.RestartPolicy = "Never";
        pod.Spec.InitContainers = [TestPods.Container("init")];
        _h.Create(pod);

        await _h.Time.AdvanceUntilAsync(() => _h.Get()?.Status?.Phase == "Failed", TimeSpan.FromSeconds(20), because: "Failed");

        Assert.Empty(_h.Runtime.Records("Started", "app"));
        Assert.Equal(3, _h.ContainerStatus("init")!.State.Terminated.ExitCode);
    }
}
