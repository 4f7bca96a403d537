using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;

namespace Berth.UnitTests.Kubelet;

/// <summary>Probe initial results, thresholds and startup gating (§4, prober/worker.go).</summary>
public sealed class KubeletProbeTests : IAsyncDisposable
{
    private readonly KubeletHarness _h = new();

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Readiness_BeforeFirstSuccess_NotReadyWithUnreadyMessage()
    {
        var ready = false;
        _h.Runtime.Behavior = _ => new FakeContainerBehavior { Exec = _ => new FakeExecResult(TimeSpan.Zero, ready ? 0 : 1, "not yet") };
        await _h.StartAsync();
        _h.Create(Probed(readiness: Probe(period: 1)));
        await _h.WaitForRunningAsync();

        var condition = _h.Get()!.Status.Conditions.Single(c => c.Type == "ContainersReady");
        Assert.Equal(("False", "ContainersNotReady", "containers with unready status: [app]"), (condition.Status, condition.Reason, condition.Message));
        Assert.False(_h.ContainerStatus("app")!.Ready);
        Assert.True(_h.ContainerStatus("app")!.Started);
        // Not-ready above holds before any probe ran; let one probe fail before the app turns ready.
        await _h.Time.AdvanceUntilAsync(() => _h.Events.WithReason("Unhealthy").Any(e => e.Message == "Readiness probe failed: not yet"),
            TimeSpan.FromSeconds(5), because: "a failed readiness probe");

        ready = true;
        await _h.Time.AdvanceUntilAsync(() => _h.ContainerStatus("app")?.Ready == true, TimeSpan.FromSeconds(5), because: "ready");
        Assert.Equal("True", _h.Get()!.Status.Conditions.Single(c => c.Type == "Ready").Status);
    }

    [Fact]
    public async Task Readiness_FailureThreshold_NotReadyOnlyAfterThreeFailures()
    {
        var healthy = true;
        _h.Runtime.Behavior = _ => new FakeContainerBehavior { Exec = _ => new FakeExecResult(TimeSpan.Zero, healthy ? 0 : 1, "") };
        await _h.StartAsync();
        _h.Create(Probed(readiness: Probe(period: 1)));
        await _h.Time.AdvanceUntilAsync(() => _h.ContainerStatus("app")?.Ready == true, TimeSpan.FromSeconds(10), because: "ready");
        var before = _h.Runtime.Records("ExecFinished").Count;

        healthy = false;
        await _h.Time.AdvanceUntilAsync(() => _h.ContainerStatus("app")?.Ready == false, TimeSpan.FromSeconds(10), because: "unready");

        Assert.Equal(3, _h.Runtime.Records("ExecFinished").Count - before);
        Assert.Equal("Running", _h.Get()!.Status.Phase);
    }

    [Fact]
    public async Task Startup_UntilSuccess_GatesLivenessAndStarted()
    {
        var startupRuns = 0;
        _h.Runtime.Behavior = _ => new FakeContainerBehavior
        {
            Exec = argv => argv[0] == "/bin/started" ? new FakeExecResult(TimeSpan.Zero, ++startupRuns < 3 ? 1 : 0, "") : new FakeExecResult(TimeSpan.Zero, 0, ""),
        };
        await _h.StartAsync();
        _h.Create(Probed(startup: Probe(period: 1, command: "/bin/started"), liveness: Probe(period: 1, command: "/bin/alive")));
        await _h.WaitForRunningAsync();
        Assert.False(_h.ContainerStatus("app")!.Started);

        await _h.Time.AdvanceUntilAsync(() => _h.ContainerStatus("app")?.Started == true, TimeSpan.FromSeconds(10), because: "started");

        var firstLiveness = _h.Runtime.Timeline.FirstOrDefault(r => r.Kind == "ExecStarted" && r.Detail == "/bin/alive");
        var lastStartup = _h.Runtime.Timeline.Last(r => r.Kind == "ExecStarted" && r.Detail == "/bin/started");
        Assert.True(firstLiveness is null || firstLiveness.Time >= lastStartup.Time);
        Assert.Equal(3, startupRuns);
        Assert.True(_h.ContainerStatus("app")!.Ready);
    }

    private static V1Probe Probe(int period, string command = "/bin/check") => new()
    {
        Exec = new V1ExecAction { Command = [command] },
        PeriodSeconds = period,
        FailureThreshold = 3,
    };

    private static V1Pod Probed(V1Probe? readiness = null, V1Probe? liveness = null, V1Probe? startup = null)
    {
        var pod = TestPods.Pod();
        pod.Spec.Containers[0].ReadinessProbe = readiness;
        pod.Spec.Containers[0].LivenessProbe = liveness;
        pod.Spec.Containers[0].StartupProbe = startup;
        return pod;
    }
}
