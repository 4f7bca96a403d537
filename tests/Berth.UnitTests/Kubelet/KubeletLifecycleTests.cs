using Berth.Kubelet.Status;
using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;

namespace Berth.UnitTests.Kubelet;

/// <summary>End-to-end node agent on fakes: start, status, graceful delete, final DELETE.</summary>
public sealed class KubeletLifecycleTests : IAsyncDisposable
{
    private readonly KubeletHarness _h = new();

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RunAsync_NewPod_StartsContainerAndReportsRunningReady()
    {
        await _h.StartAsync();
        var pod = _h.Create(TestPods.Pod());

        await _h.Time.AdvanceUntilAsync(() => _h.Get()?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true,
            TimeSpan.FromSeconds(30), because: "Ready=True");

        var status = _h.Get()!.Status;
        Assert.Equal("Running", status.Phase);
        Assert.Equal("127.1.0.1", status.PodIP);
        Assert.Equal("127.0.0.1", status.HostIP);
        Assert.Equal("BestEffort", status.QosClass);
        Assert.NotNull(status.StartTime);
        var app = Assert.Single(status.ContainerStatuses);
        Assert.True(app.Ready);
        Assert.True(app.Started);
        Assert.Equal(0, app.RestartCount);
        Assert.StartsWith("berth://", app.ContainerID, StringComparison.Ordinal);
        Assert.Equal("example.com/app:1", app.Image);
        Assert.Equal(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"], status.Conditions.Select(c => c.Type));
        Assert.All(status.Conditions, c => Assert.Equal("True", c.Status));
        Assert.Equal(["Pulled", "Created", "Started"], _h.Events.Events.Select(e => e.Reason));
        Assert.Equal("Container image \"example.com/app:1\" already present on machine", _h.Events.Events[0].Message);
        Assert.Equal("Created container: app", _h.Events.Events[1].Message);
        Assert.Equal("Started container app", _h.Events.Events[2].Message);
        Assert.Equal(pod.Metadata.Uid, Assert.Single(_h.Runtime.Created).PodUid);
        Assert.Contains(pod.Metadata.Uid, _h.Volumes.Mounted);
    }

    [Fact]
    public async Task Delete_AppExitsZeroOnTerm_SucceededPodCompletedThenFinalDeleteWithUid()
    {
        _h.Runtime.Behavior = _ => new FakeContainerBehavior { OnStopSignal = (TimeSpan.FromSeconds(0.5), 0) };
        await _h.StartAsync();
        var pod = _h.Create(TestPods.Pod());
        await _h.WaitForRunningAsync();

        await _h.DeleteAsync("web", 30);
        await _h.Time.AdvanceUntilAsync(() => _h.Get() is null, TimeSpan.FromSeconds(10), because: "the pod is deleted");

        var (name, options) = Assert.Single(_h.RecordingApi.Deletes);
        Assert.Equal("web", name);
        Assert.Equal(0, options!.GracePeriodSeconds);
        Assert.Equal(pod.Metadata.Uid, options.PreconditionUid);
        Assert.Equal("Stopping container app", Assert.Single(_h.Events.WithReason("Killing")).Message);
        Assert.Contains(pod.Metadata.Uid, _h.Network.Released);
        Assert.Contains(pod.Metadata.Uid, _h.Volumes.Unmounted);
    }

    [Fact]
    public async Task Delete_AppExitsZeroOnTerm_TerminalStatusWrittenBeforeDelete()
    {
        _h.Runtime.Behavior = _ => new FakeContainerBehavior { OnStopSignal = (TimeSpan.FromSeconds(0.5), 0) };
        await _h.StartAsync();
        _h.Create(TestPods.Pod());
        await _h.WaitForRunningAsync();
        _h.Api.Interceptor = action => action.Verb == "delete" ? Berth.Machinery.Errors.ApiErrors.Internal("hold the final delete") : null;

        await _h.DeleteAsync("web", 30);
        await _h.Time.AdvanceUntilAsync(() => _h.Get()?.Status?.Phase == "Succeeded", TimeSpan.FromSeconds(10), because: "terminal phase");

        var status = _h.Get()!.Status;
        var app = Assert.Single(status.ContainerStatuses);
        Assert.Equal("Completed", app.State.Terminated.Reason);
        Assert.Equal(0, app.State.Terminated.ExitCode);
        Assert.False(app.Ready);
        var ready = status.Conditions.Single(c => c.Type == "Ready");
        Assert.Equal(("False", "PodCompleted"), (ready.Status, ready.Reason));
        Assert.Equal("PodCompleted", status.Conditions.Single(c => c.Type == "ContainersReady").Reason);
        Assert.Equal("False", status.Conditions.Single(c => c.Type == "PodReadyToStartContainers").Status);
        Assert.Equal("127.1.0.1", status.PodIP);
    }

    [Fact]
    public async Task Delete_AppIgnoresTerm_SigkillAtGraceFailedPodFailed()
    {
        _h.Runtime.Behavior = _ => new FakeContainerBehavior { OnStopSignal = null };
        _h.Api.Interceptor = action => action.Verb == "delete" ? Berth.Machinery.Errors.ApiErrors.Internal("hold the final delete") : null;
        await _h.StartAsync();
        _h.Create(TestPods.Pod().WithGrace(5));
        await _h.WaitForRunningAsync();
        await _h.DeleteAsync("web", 5);
        await _h.Time.AdvanceUntilAsync(() => _h.Get()?.Status?.Phase == "Failed", TimeSpan.FromSeconds(15), because: "terminal phase");

        var signal = _h.Runtime.Records("StopSignal", "app").Single().Time;
        Assert.Equal(5, _h.Runtime.Records("Killed", "app").Single().Time.SecondsSince(signal), 0.35);
        var terminated = _h.ContainerStatus("app")!.State.Terminated;
        Assert.Equal((137, "Error"), (terminated.ExitCode, terminated.Reason));
        Assert.Equal("PodFailed", _h.Get()!.Status.Conditions.Single(c => c.Type == "Ready").Reason);
    }

    [Fact]
    public async Task Delete_WhileRunning_PhaseStaysRunningUntilContainersStop()
    {
        _h.Runtime.Behavior = _ => new FakeContainerBehavior { OnStopSignal = (TimeSpan.FromSeconds(3), 0) };
        await _h.StartAsync();
        _h.Create(TestPods.Pod());
        await _h.WaitForRunningAsync();

        await _h.DeleteAsync("web", 30);
        await _h.Time.AdvanceUntilAsync(() => _h.Runtime.Records("StopSignal").Count == 1, TimeSpan.FromSeconds(5));
        await _h.Time.AdvanceAsync(TimeSpan.FromSeconds(1.5));

        Assert.Equal("Running", _h.Get()!.Status.Phase);
        Assert.True(_h.ContainerStatus("app")!.Ready);
    }

    [Fact]
    public async Task Delete_ContainerVanishesWhileTerminating_ContainerStatusUnknownFailed()
    {
        _h.Runtime.Behavior = _ => new FakeContainerBehavior { OnStopSignal = null };
        _h.Api.Interceptor = action => action.Verb == "delete" ? Berth.Machinery.Errors.ApiErrors.Internal("hold the final delete") : null;
        await _h.StartAsync();
        _h.Create(TestPods.Pod());
        await _h.WaitForRunningAsync();

        _h.Runtime.Vanish(_h.RuntimeContainer("app")!.Id);
        await _h.DeleteAsync("web", 30);
        await _h.Time.AdvanceUntilAsync(() => _h.Get()?.Status?.Phase == "Failed", TimeSpan.FromSeconds(10), because: "terminal phase");

        var terminated = _h.ContainerStatus("app")!.State.Terminated;
        Assert.Equal(("ContainerStatusUnknown", 137), (terminated.Reason, terminated.ExitCode));
        Assert.Equal(ContainerStatusConverter.UnknownAtTerminationMessage, terminated.Message);
    }

    [Fact]
    public async Task Delete_SameNamePodRecreated_OldFinalDeleteNeverHitsNewPod()
    {
        _h.Runtime.Behavior = _ => new FakeContainerBehavior { OnStopSignal = (TimeSpan.FromSeconds(1), 0) };
        await _h.StartAsync();
        var old = _h.Create(TestPods.Pod());
        await _h.WaitForRunningAsync();

        await _h.DeleteAsync("web", 30);
        await _h.ForceDeleteAsync("web");
        var fresh = TestPods.Pod();
        fresh.Spec.NodeName = "other-node";
        _h.Create(fresh);
        await _h.Time.AdvanceUntilAsync(() => _h.Kubelet.PodWorkers.IsPodFinished(old.Metadata.Uid), TimeSpan.FromSeconds(10));
        await _h.Time.AdvanceAsync(TimeSpan.FromSeconds(2));

        Assert.Equal(fresh.Metadata.Uid, _h.Get()!.Metadata.Uid);
        Assert.DoesNotContain(_h.RecordingApi.Deletes, d => d.Options?.PreconditionUid == fresh.Metadata.Uid);
    }

    [Fact]
    public async Task SyncPod_ArgsWithoutCommand_ArgsAreTheCommandLine()
    {
        await _h.StartAsync();
        var pod = TestPods.Pod();
        pod.Spec.Containers[0].Command = null;
        pod.Spec.Containers[0].Args = ["sleep", "$(NAME)"];
        pod.Spec.Containers[0].Env = [new k8s.Models.V1EnvVar { Name = "NAME", Value = "30" }];
        _h.Create(pod);

        await _h.Time.AdvanceUntilAsync(() => _h.Runtime.Created.Count == 1, TimeSpan.FromSeconds(15), because: "the container is created");

        Assert.Equal(["sleep", "30"], _h.Runtime.Created[0].Argv);
    }

    [Fact]
    public async Task SyncPod_NoCommand_CreateContainerConfigErrorAndFailedEvent()
    {
        await _h.StartAsync();
        var pod = TestPods.Pod();
        pod.Spec.Containers[0].Command = null;
        _h.Create(pod);

        await _h.Time.AdvanceUntilAsync(() => _h.ContainerStatus("app")?.State?.Waiting?.Reason == "CreateContainerConfigError",
            TimeSpan.FromSeconds(15), because: "waiting reason");

        var waiting = _h.ContainerStatus("app")!.State.Waiting;
        Assert.Contains("has no command", waiting.Message, StringComparison.Ordinal);
        var failed = _h.Events.WithReason("Failed").First();
        Assert.Equal("Warning", failed.Type);
        Assert.StartsWith("Error: container \"app\" has no command", failed.Message, StringComparison.Ordinal);
        Assert.Equal("Pending", _h.Get()!.Status.Phase);
        Assert.Empty(_h.Runtime.Created);
    }
}
