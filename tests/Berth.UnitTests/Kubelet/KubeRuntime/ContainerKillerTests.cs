using Berth.Kubelet;
using Berth.Kubelet.KubeRuntime;
using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;

namespace Berth.UnitTests.Kubelet.KubeRuntime;

/// <summary>The §2.4 timing table of killContainer on fake time (tolerance: one 100 ms clock step).</summary>
public sealed class ContainerKillerTests : IDisposable
{
    private const double Tolerance = 0.11;
    private static readonly FakeContainerBehavior IgnoresTerm = new() { OnStopSignal = null };
    private readonly KillHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task KillContainer_NoPreStopGraceFive_StopSignalAtZeroSigkillAtFive()
    {
        var pod = TestPods.Pod();
        var id = await _h.RunAsync(pod, "app", IgnoresTerm);

        var kill = _h.Kill(pod, "app", id, new GracePeriodOverride(5));
        await _h.Time.AdvanceUntilAsync(() => kill.IsCompleted, TimeSpan.FromSeconds(20));

        Assert.Equal(0, _h.At("StopSignal", "app"), Tolerance);
        Assert.Equal(5, _h.At("Killed", "app"), Tolerance);
        Assert.Equal(137, (await _h.Runtime.GetContainerStatusAsync(id)).ExitCode);
    }

    [Fact]
    public async Task KillContainer_GraceOne_SigkillAtTwoSecondFloor()
    {
        var pod = TestPods.Pod();
        var id = await _h.RunAsync(pod, "app", IgnoresTerm);

        var kill = _h.Kill(pod, "app", id, new GracePeriodOverride(1));
        await _h.Time.AdvanceUntilAsync(() => kill.IsCompleted, TimeSpan.FromSeconds(20));

        Assert.Equal(0, _h.At("StopSignal", "app"), Tolerance);
        Assert.Equal(2, _h.At("Killed", "app"), Tolerance);
    }

    [Fact]
    public async Task KillContainer_PreStopShorterThanGrace_WholeSecondsSubtracted()
    {
        var pod = TestPods.Pod();
        pod.Spec.Containers[0].Lifecycle = new() { PreStop = TestPods.ExecHook("/bin/drain") };
        var id = await _h.RunAsync(pod, "app", IgnoresTerm with { Exec = _ => new FakeExecResult(TimeSpan.FromSeconds(3.9), 0, "") });

        var kill = _h.Kill(pod, "app", id, new GracePeriodOverride(10));
        await _h.Time.AdvanceUntilAsync(() => kill.IsCompleted, TimeSpan.FromSeconds(20));

        Assert.Equal(0, _h.At("ExecStarted", "app"), Tolerance);
        Assert.Equal(3.9, _h.At("StopSignal", "app"), Tolerance);
        Assert.Equal(10.9, _h.At("Killed", "app"), Tolerance);
        Assert.Empty(_h.Events.WithReason("FailedPreStopHook"));
    }

    [Fact]
    public async Task KillContainer_PreStopLongerThanGrace_AbandonedAtGraceSigkillTwoLater()
    {
        var pod = TestPods.Pod();
        pod.Spec.Containers[0].Lifecycle = new() { PreStop = TestPods.ExecHook("sleep", "60") };
        var id = await _h.RunAsync(pod, "app", IgnoresTerm with { Exec = _ => new FakeExecResult(TimeSpan.FromSeconds(60), 0, "") });

        var kill = _h.Kill(pod, "app", id, new GracePeriodOverride(10));
        await _h.Time.AdvanceUntilAsync(() => kill.IsCompleted, TimeSpan.FromSeconds(30));

        Assert.Equal(10, _h.At("StopSignal", "app"), Tolerance);
        Assert.Equal(12, _h.At("Killed", "app"), Tolerance);
        Assert.Empty(_h.Events.WithReason("FailedPreStopHook"));
    }

    [Fact]
    public async Task KillContainer_PreStopFails_FailedPreStopHookAndStopRightAfter()
    {
        var pod = TestPods.Pod();
        pod.Spec.Containers[0].Lifecycle = new() { PreStop = TestPods.ExecHook("/bin/false") };
        var id = await _h.RunAsync(pod, "app", new FakeContainerBehavior { Exec = _ => new FakeExecResult(TimeSpan.FromSeconds(1), 1, "secret output") });

        var kill = _h.Kill(pod, "app", id, new GracePeriodOverride(30));
        await _h.Time.AdvanceUntilAsync(() => kill.IsCompleted, TimeSpan.FromSeconds(10));

        var failed = Assert.Single(_h.Events.WithReason("FailedPreStopHook"));
        Assert.Equal("PreStopHook failed", failed.Message);
        Assert.Equal("Warning", failed.Type);
        Assert.DoesNotContain(_h.Events.Events, e => e.Message.Contains("secret", StringComparison.Ordinal));
        Assert.Equal(1, _h.At("StopSignal", "app"), Tolerance);
        Assert.Equal(143, (await _h.Runtime.GetContainerStatusAsync(id)).ExitCode);
    }

    [Fact]
    public async Task KillContainer_TcpSocketPreStop_FailsAsInvalidHandler()
    {
        var pod = TestPods.Pod();
        pod.Spec.Containers[0].Lifecycle = new() { PreStop = new() { TcpSocket = new() { Port = "80" } } };
        var id = await _h.RunAsync(pod, "app", new FakeContainerBehavior());

        var kill = _h.Kill(pod, "app", id, new GracePeriodOverride(30));
        await _h.Time.AdvanceUntilAsync(() => kill.IsCompleted, TimeSpan.FromSeconds(5));

        Assert.Equal("PreStopHook failed", Assert.Single(_h.Events.WithReason("FailedPreStopHook")).Message);
        Assert.Equal(0, _h.At("StopSignal", "app"), Tolerance);
    }

    [Fact]
    public async Task KillContainer_SleepPreStop_StopSignalWhenSleepEnds()
    {
        var pod = TestPods.Pod();
        pod.Spec.Containers[0].Lifecycle = new() { PreStop = TestPods.SleepHook(2) };
        var id = await _h.RunAsync(pod, "app", new FakeContainerBehavior());

        var kill = _h.Kill(pod, "app", id, new GracePeriodOverride(30));
        await _h.Time.AdvanceUntilAsync(() => kill.IsCompleted, TimeSpan.FromSeconds(10));

        Assert.Equal(2, _h.At("StopSignal", "app"), Tolerance);
        Assert.Equal(2, _h.At("Exited", "app"), Tolerance);
    }

    [Fact]
    public async Task KillContainer_Always_KillingEventFirstWithStoppingMessage()
    {
        var pod = TestPods.Pod();
        pod.Spec.Containers[0].Lifecycle = new() { PreStop = TestPods.SleepHook(1) };
        var id = await _h.RunAsync(pod, "app", new FakeContainerBehavior());

        var kill = _h.Kill(pod, "app", id, new GracePeriodOverride(30));
        await FakeClock.SettleAsync();
        var killing = Assert.Single(_h.Events.WithReason("Killing"));
        Assert.Equal("Stopping container app", killing.Message);
        Assert.Equal("Normal", killing.Type);
        Assert.Equal("spec.containers{app}", killing.FieldPath);
        Assert.Empty(_h.Runtime.Records("StopSignal"));
        await _h.Time.AdvanceUntilAsync(() => kill.IsCompleted, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task KillContainer_LivenessReasonWithoutOverride_UsesProbeGrace()
    {
        var pod = TestPods.Pod().WithGrace(60);
        pod.Spec.Containers[0].LivenessProbe = new() { Exec = new() { Command = ["true"] }, TerminationGracePeriodSeconds = 5 };
        var id = await _h.RunAsync(pod, "app", IgnoresTerm);

        var kill = _h.Kill(pod, "app", id, null, KillReason.LivenessProbe, "Container app failed liveness probe, will be restarted");
        await _h.Time.AdvanceUntilAsync(() => kill.IsCompleted, TimeSpan.FromSeconds(20));

        Assert.Equal(5, _h.At("Killed", "app"), Tolerance);
        Assert.Equal("Container app failed liveness probe, will be restarted", Assert.Single(_h.Events.WithReason("Killing")).Message);
    }

    [Fact]
    public async Task KillContainer_DeletionGraceSet_WinsOverProbeGrace()
    {
        var pod = TestPods.Pod().WithGrace(60).Deleting(20, KillHarness.T0);
        pod.Spec.Containers[0].LivenessProbe = new() { Exec = new() { Command = ["true"] }, TerminationGracePeriodSeconds = 5 };

        Assert.Equal(20, ContainerKiller.SetTerminationGracePeriod(pod, pod.Spec.Containers[0], KillReason.LivenessProbe));
        Assert.Equal(60, ContainerKiller.SetTerminationGracePeriod(TestPods.Pod().WithGrace(60), pod.Spec.Containers[0], KillReason.Unknown));
    }
}
