using Berth.Kubelet;
using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;

namespace Berth.UnitTests.Kubelet.KubeRuntime;

/// <summary>A grace period shortened while the kill runs is honoured at once (better than upstream #83916).</summary>
public sealed class ShortenedGraceTests : IDisposable
{
    private const double Tolerance = 0.11;
    private readonly KillHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task KillContainer_ShortenedDuringStop_SigkillAtNewDeadline()
    {
        var pod = TestPods.Pod();
        var id = await _h.RunAsync(pod, "app", new FakeContainerBehavior { OnStopSignal = null });
        var grace = new GracePeriodOverride(60);

        var kill = _h.Kill(pod, "app", id, grace);
        await _h.Time.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.True(grace.TryShorten(10));
        await _h.Time.AdvanceUntilAsync(() => kill.IsCompleted, TimeSpan.FromSeconds(20));

        Assert.Equal(0, _h.At("StopSignal", "app"), Tolerance);
        Assert.Equal(10, _h.At("Killed", "app"), Tolerance);
    }

    [Fact]
    public async Task KillContainer_ShortenedPastElapsed_SigkillImmediately()
    {
        var pod = TestPods.Pod();
        var id = await _h.RunAsync(pod, "app", new FakeContainerBehavior { OnStopSignal = null });
        var grace = new GracePeriodOverride(60);

        var kill = _h.Kill(pod, "app", id, grace);
        await _h.Time.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.True(grace.TryShorten(1));
        await _h.Time.AdvanceUntilAsync(() => kill.IsCompleted, TimeSpan.FromSeconds(5));

        Assert.Equal(5, _h.At("Killed", "app"), Tolerance);
    }

    [Fact]
    public async Task KillContainer_ShortenedDuringPreStop_HookAbandonedAndTwoSecondWindow()
    {
        var pod = TestPods.Pod();
        pod.Spec.Containers[0].Lifecycle = new() { PreStop = TestPods.ExecHook("sleep", "60") };
        var id = await _h.RunAsync(pod, "app", new FakeContainerBehavior
        {
            OnStopSignal = null,
            Exec = _ => new FakeExecResult(TimeSpan.FromSeconds(60), 0, ""),
        });
        var grace = new GracePeriodOverride(30);

        var kill = _h.Kill(pod, "app", id, grace);
        await _h.Time.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.True(grace.TryShorten(1));
        // The shortened grace abandons the hook and signals at once; let that land before the clock moves on, or a
        // loaded machine records it one clock step late.
        await AsyncTestHelpers.WaitUntilAsync(() => _h.Runtime.Records("StopSignal", "app").Any(), because: "the stop signal after the shortening");
        await _h.Time.AdvanceUntilAsync(() => kill.IsCompleted, TimeSpan.FromSeconds(10));

        Assert.Equal(5, _h.At("StopSignal", "app"), Tolerance);
        Assert.Equal(7, _h.At("Killed", "app"), Tolerance);
    }

    [Fact]
    public void TryShorten_LongerOrEqual_NoChange()
    {
        var grace = new GracePeriodOverride(10);
        var shortened = grace.Shortened;

        Assert.False(grace.TryShorten(10));
        Assert.False(grace.TryShorten(20));
        Assert.False(shortened.IsCompleted);
        Assert.True(grace.TryShorten(0));
        Assert.Equal(1, grace.Seconds);
        Assert.True(shortened.IsCompleted);
    }
}
