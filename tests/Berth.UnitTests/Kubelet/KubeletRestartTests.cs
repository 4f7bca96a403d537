using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;

namespace Berth.UnitTests.Kubelet;

/// <summary>Restart policy, CrashLoopBackOff (§5, scenario 17) and liveness restarts vs deletion (scenario 16).</summary>
public sealed class KubeletRestartTests : IAsyncDisposable
{
    private readonly KubeletHarness _h = new();

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task SyncPod_CrashingContainer_BackOffGapsDoubleAndWaitingReasonShown()
    {
        _h.Runtime.Behavior = _ => new FakeContainerBehavior { ExitAfter = TimeSpan.FromSeconds(0.1), ExitCode = 1 };
        await _h.StartAsync();
        var pod = _h.Create(TestPods.Pod());

        await _h.Time.AdvanceUntilAsync(() => _h.Runtime.Records("Started", "app").Count >= 5, TimeSpan.FromSeconds(120),
            TimeSpan.FromMilliseconds(100), "five starts");

        var gaps = Gaps();
        Assert.Equal([0, 10, 20, 40], gaps.Take(4).Select(g => Math.Round(g)).ToList());
        await _h.Time.AdvanceUntilAsync(() => _h.ContainerStatus("app")?.State?.Waiting?.Reason == "CrashLoopBackOff", TimeSpan.FromSeconds(5));
        var status = _h.ContainerStatus("app")!;
        Assert.Equal($"back-off 1m20s restarting failed container=app pod=web_default({pod.Metadata.Uid})", status.State.Waiting.Message);
        Assert.Equal(4, status.RestartCount);
        Assert.Equal((1, "Error"), (status.LastState.Terminated.ExitCode, status.LastState.Terminated.Reason));
        Assert.Equal("Running", _h.Get()!.Status.Phase);
        var backOff = _h.Events.WithReason("BackOff");
        Assert.NotEmpty(backOff);
        Assert.Equal($"Back-off restarting failed container app in pod web_default({pod.Metadata.Uid})", backOff[0].Message);
    }

    [Fact]
    public async Task SyncPod_OnFailureExitZero_NoRestartSucceededAndKept()
    {
        _h.Runtime.Behavior = _ => new FakeContainerBehavior { ExitAfter = TimeSpan.FromSeconds(1), ExitCode = 0 };
        await _h.StartAsync();
        var pod = TestPods.Pod();
        pod.Spec.RestartPolicy = "OnFailure";
        _h.Create(pod);

        await _h.Time.AdvanceUntilAsync(() => _h.Get()?.Status?.Phase == "Succeeded", TimeSpan.FromSeconds(20), because: "Succeeded");
        await _h.Time.AdvanceAsync(TimeSpan.FromSeconds(15));

        Assert.Single(_h.Runtime.Records("Started", "app"));
        Assert.NotNull(_h.Get());
        Assert.Empty(_h.RecordingApi.Deletes);
        Assert.Equal("PodCompleted", _h.Get()!.Status.Conditions.Single(c => c.Type == "Ready").Reason);
    }

    [Fact]
    public async Task SyncPod_NeverExitNonZero_FailedNoRestart()
    {
        _h.Runtime.Behavior = _ => new FakeContainerBehavior { ExitAfter = TimeSpan.FromSeconds(1), ExitCode = 2 };
        await _h.StartAsync();
        var pod = TestPods.Pod();
        pod.Spec.RestartPolicy = "Never";
        _h.Create(pod);

        await _h.Time.AdvanceUntilAsync(() => _h.Get()?.Status?.Phase == "Failed", TimeSpan.FromSeconds(20), because: "Failed");

        Assert.Single(_h.Runtime.Records("Started", "app"));
        Assert.Equal(2, _h.ContainerStatus("app")!.State.Terminated.ExitCode);
    }

    [Fact]
    public async Task Liveness_FailsWithProbeGrace_KilledAtProbeGraceAndRestarted()
    {
        var probes = 0;
        _h.Runtime.Behavior = _ => new FakeContainerBehavior
        {
            OnStopSignal = null,
            Exec = _ => new FakeExecResult(TimeSpan.Zero, Interlocked.Increment(ref probes) == 1 ? 1 : 0, "not alive"),
        };
        await _h.StartAsync();
        var pod = LivenessPod();
        _h.Create(pod);

        await _h.Time.AdvanceUntilAsync(() => _h.Runtime.Records("Killed", "app").Count == 1, TimeSpan.FromSeconds(30), because: "liveness kill");
        Assert.True(_h.Runtime.Records("StopSignal", "app").Count == 1, Timeline());
        var signal = _h.Runtime.Records("StopSignal", "app")[0].Time;
        var killed = _h.Runtime.Records("Killed", "app")[0].Time;
        await _h.Time.AdvanceUntilAsync(() => _h.Runtime.Records("Started", "app").Count == 2, TimeSpan.FromSeconds(5), because: "restart");

        Assert.Equal(5, (killed - signal).TotalSeconds, 0.35);
        Assert.Equal("Liveness probe failed: not alive", _h.Events.WithReason("Unhealthy")[0].Message);
        Assert.Equal("Container app failed liveness probe, will be restarted", _h.Events.WithReason("Killing")[0].Message);
        Assert.Equal(1, _h.RuntimeContainer("app")!.Attempt);
        Assert.Equal("Running", _h.Get()!.Status.Phase);
    }

    [Fact]
    public async Task Liveness_FailingWhilePodDeleted_NoLivenessKillAndDeletionGraceUsed()
    {
        var alive = true;
        _h.Runtime.Behavior = _ => new FakeContainerBehavior { OnStopSignal = null, Exec = _ => new FakeExecResult(TimeSpan.Zero, alive ? 0 : 1, "dead") };
        _h.Api.Interceptor = action => action.Verb == "delete" ? Berth.Machinery.Errors.ApiErrors.Internal("hold") : null;
        await _h.StartAsync();
        var pod = _h.Create(LivenessPod());
        await _h.WaitForRunningAsync();
        await _h.Time.AdvanceAsync(TimeSpan.FromSeconds(2));

        await _h.DeleteAsync("web", 20);
        await AsyncTestHelpers.WaitUntilAsync(() => _h.Kubelet.PodWorkers.IsPodTerminationRequested(pod.Metadata.Uid), because: "deletion seen");
        alive = false;
        await _h.Time.AdvanceUntilAsync(() => _h.Get()?.Status?.Phase == "Failed", TimeSpan.FromSeconds(40), because: "terminal");

        var signal = _h.Runtime.Records("StopSignal", "app").Single().Time;
        Assert.Equal(20, _h.Runtime.Records("Killed", "app").Single().Time.SecondsSince(signal), 0.35);
        Assert.Single(_h.Runtime.Records("Started", "app"));
        Assert.DoesNotContain(_h.Events.WithReason("Killing"), e => e.Message.Contains("liveness", StringComparison.Ordinal));
    }

    private static V1Pod LivenessPod()
    {
        var pod = TestPods.Pod().WithGrace(60);
        pod.Spec.Containers[0].LivenessProbe = new V1Probe
        {
            Exec = new V1ExecAction { Command = ["/bin/check"] },
            PeriodSeconds = 1,
            FailureThreshold = 1,
            TerminationGracePeriodSeconds = 5,
        };
        return pod;
    }

    private string Timeline() => string.Join("\n", _h.Runtime.Timeline.Select(r => $"{r.Time.SecondsSince(KubeletHarness.T0):0.0} {r.Kind} {r.Container} {r.ContainerId[..6]} {r.Detail}")
        .Concat(_h.Events.Events.Select(e => $"{e.Time.SecondsSince(KubeletHarness.T0):0.0} event {e.Reason}: {e.Message}")));

    private List<double> Gaps()
    {
        var started = _h.Runtime.Records("Started", "app").Select(r => r.Time).ToList();
        var exited = _h.Runtime.Records("Exited", "app").Select(r => r.Time).ToList();
        return [.. started.Skip(1).Select((s, i) => (s - exited[i]).TotalSeconds)];
    }
}
