using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Kubelet.Shutdown;

/// <summary>
/// kubernetes-termination.md §2.10: a kubelet-initiated kill (node shutdown) that has not finished within
/// max(1.5 × grace, 10 s) gets one Warning <c>ExceededGracePeriod</c> event; a kill that finishes in time gets none.
/// </summary>
public sealed class ExceededGracePeriodTests
{
    private const string Message = "Container runtime did not kill the pod within specified grace period.";

    private static async Task<KubeletHarness> ShutdownAsync(TimeSpan stopDelay)
    {
        var clock = new FakeTimeProvider(KubeletHarness.T0);
        var runtime = new FakeContainerRuntime(clock);
        var h = new KubeletHarness(clock, new SlowStopRuntime(runtime, clock, stopDelay));
        await h.StartAsync();
        var pod = TestPods.Pod("web");
        pod.Spec.TerminationGracePeriodSeconds = 2;
        h.Create(pod);
        await h.WaitForRunningAsync();

        var shutdown = h.Kubelet.ShutdownAsync(TimeSpan.FromSeconds(20), CancellationToken.None);
        await h.Time.AdvanceUntilAsync(() => shutdown.IsCompleted, TimeSpan.FromSeconds(60), because: "shutdown returns");
        await shutdown;
        return h;
    }

    [Fact]
    public async Task Shutdown_KillSlowerThanTenSeconds_ExceededGracePeriodWarning()
    {
        await using var h = await ShutdownAsync(TimeSpan.FromSeconds(30));

        await h.Time.AdvanceUntilAsync(() => h.Events.WithReason("ExceededGracePeriod").Count > 0, TimeSpan.FromSeconds(30), because: "watchdog fires");

        var warning = Assert.Single(h.Events.WithReason("ExceededGracePeriod"));
        Assert.Equal(("Warning", Message), (warning.Type, warning.Message));
        Assert.True(warning.Time - KubeletHarness.T0 >= TimeSpan.FromSeconds(10));
        h.Time.Advance(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Shutdown_KillWithinGrace_NoExceededGracePeriod()
    {
        await using var h = await ShutdownAsync(TimeSpan.Zero);

        h.Time.Advance(TimeSpan.FromSeconds(15));
        await Task.Yield();

        Assert.Empty(h.Events.WithReason("ExceededGracePeriod"));
    }
}
