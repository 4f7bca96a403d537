using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;

namespace Berth.UnitTests.Kubelet;

/// <summary>
/// Ephemeral containers on the node agent (fakes): started once after being added to a running pod, never
/// restarted, reported in <c>status.ephemeralContainerStatuses</c>, and stopped with the pod.
/// </summary>
public sealed class KubeletEphemeralContainerTests : IAsyncDisposable
{
    private readonly KubeletHarness _h = new();

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task AddedEphemeralContainer_ExitsZero_StartedOnceNeverRestartedAndReportedTerminated()
    {
        _h.Runtime.Behavior = c => c.ContainerName == "debugger"
            ? new FakeContainerBehavior { ExitAfter = TimeSpan.FromSeconds(1), ExitCode = 0 }
            : new FakeContainerBehavior();
        await _h.StartAsync();
        _h.Create(TestPods.Pod());
        await _h.WaitForRunningAsync();

        await AddDebuggerAsync();
        await _h.Time.AdvanceUntilAsync(() => Ephemeral()?.State?.Terminated is not null, TimeSpan.FromSeconds(30), because: "debugger terminated");
        await _h.Time.AdvanceAsync(TimeSpan.FromSeconds(30));

        Assert.Single(_h.Runtime.Records("Started", "debugger"));
        Assert.Single(_h.Runtime.Records("Started", "app"));
        var status = Ephemeral()!;
        Assert.Equal((0, "Completed"), (status.State.Terminated.ExitCode, status.State.Terminated.Reason));
        Assert.Equal(0, status.RestartCount);
        Assert.False(status.Ready);
        Assert.Equal("busybox", status.Image);
        Assert.StartsWith("berth://", status.ContainerID, StringComparison.Ordinal);
        var pod = _h.Get()!;
        Assert.Equal("Running", pod.Status.Phase);
        Assert.Equal("app", Assert.Single(pod.Status.ContainerStatuses).Name);
        Assert.Contains(_h.Events.Events, e => e.Reason == "Started" && e.Message == "Started container debugger");
    }

    [Fact]
    public async Task RunningEphemeralContainer_PodDeleted_StoppedWithThePod()
    {
        await _h.StartAsync();
        _h.Create(TestPods.Pod().WithGrace(1));
        await _h.WaitForRunningAsync();
        await AddDebuggerAsync();
        await _h.Time.AdvanceUntilAsync(() => Ephemeral()?.State?.Running is not null, TimeSpan.FromSeconds(30), because: "debugger running");
        var config = _h.Runtime.Created.Single(c => c.ContainerName == "debugger");
        Assert.True(config.Tty && config.Stdin);

        await _h.DeleteAsync("web", 1);
        await _h.Time.AdvanceUntilAsync(() => _h.Get() is null, TimeSpan.FromSeconds(15), because: "the pod is deleted");

        Assert.Single(_h.Runtime.Records("StopSignal", "debugger"));
        Assert.Single(_h.Runtime.Records("Started", "debugger"));
    }

    private Task AddDebuggerAsync() =>
        _h.Api.PatchAsync(KindRegistry.Pods, "default", "web", Berth.Registry.PatchType.Merge, new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["ephemeralContainers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "debugger", ["image"] = "busybox", ["command"] = new JsonArray("sh"),
                    ["stdin"] = true, ["tty"] = true, ["targetContainerName"] = "app",
                }),
            },
        });

    private V1ContainerStatus? Ephemeral() => _h.Get()?.Status?.EphemeralContainerStatuses?.SingleOrDefault(s => s.Name == "debugger");
}
