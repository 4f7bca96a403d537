using k8s.Models;
using static Berth.IntegrationTests.Termination.TerminationPods;

namespace Berth.IntegrationTests.Termination;

/// <summary>
/// restartPolicy and CrashLoopBackOff on real processes (kubernetes-termination.md §5, §9 scenarios 17 and 18).
/// </summary>
[Trait("Category", "Process")]
public sealed class RestartTests(BerthServerFixture fixture) : IClassFixture<BerthServerFixture>
{
    private readonly PodLab lab = new(fixture.Host);

    [Fact]
    public async Task CrashingContainer_FirstRestartImmediateThenCrashLoopBackOffTenSeconds()
    {
        var created = await lab.CreateAsync(Pod("crash", 2, Command("app", TestPrograms.Shell("exit 1"))));
        var uid = created.Metadata.Uid;

        var backingOff = await lab.WaitAsync("crash", p => PodLab.Status(p)?.State?.Waiting?.Reason == "CrashLoopBackOff", "CrashLoopBackOff");
        var first = await lab.InstancesAsync(uid, "app");
        Assert.True(first.Count >= 2, "the first crash restarts at once");
        Assert.True((first[1].StartedAt!.Value - first[0].FinishedAt!.Value).TotalSeconds < 1, "no back-off before the first restart");
        Assert.Equal($"back-off 10s restarting failed container=app pod=crash_default({uid})", PodLab.Status(backingOff)!.State.Waiting.Message);
        Assert.Equal(1, PodLab.Status(backingOff)!.RestartCount);
        var backOff = await lab.WaitEventAsync("crash", "BackOff");
        Assert.Equal($"Back-off restarting failed container app in pod crash_default({uid})", backOff.Message);

        await lab.WaitAsync("crash", p => PodLab.Status(p)?.RestartCount >= 2, "restart after the back-off", TimeSpan.FromSeconds(20));
        var instances = await lab.InstancesAsync(uid, "app");
        var gap = (instances[2].StartedAt!.Value - instances[1].FinishedAt!.Value).TotalSeconds;
        Assert.InRange(gap, 9.7, 12.0);
    }

    [Fact]
    public async Task Delete_WhileCrashLooping_NoKillingFailedThenGone()
    {
        await using var history = new PodHistory(lab.Api, PodLab.Ns, "looping");
        await lab.CreateAsync(Pod("looping", 2, Command("app", TestPrograms.Shell("exit 2"))));
        await lab.WaitAsync("looping", p => PodLab.Status(p)?.State?.Waiting?.Reason == "CrashLoopBackOff", "CrashLoopBackOff");

        var start = await lab.DeleteAsync("looping");
        await lab.WaitGoneAsync("looping");

        Assert.True((TimeProvider.System.GetUtcNow() - start).TotalSeconds < 3, "nothing to stop, so removal is quick");
        await history.WaitForAsync(o => o.Pod.Status?.Phase == "Failed", "Failed written before removal");
        Assert.DoesNotContain(await lab.EventsAsync("looping"), e => e.Reason == "Killing");
    }

    [Fact]
    public async Task RestartNever_ExitNonZero_FailedNoRestartKeptThenDeletedAtOnce()
    {
        var pod = Pod("never", 2, Command("app", TestPrograms.Shell("exit 4")));
        pod.Spec.RestartPolicy = "Never";
        await lab.CreateAsync(pod);

        var failed = await lab.WaitAsync("never", p => p.Status?.Phase == "Failed", "Failed");

        Assert.Equal(0, PodLab.Status(failed)!.RestartCount);
        Assert.Equal((4, "Error"), (PodLab.Status(failed)!.State.Terminated.ExitCode, PodLab.Status(failed)!.State.Terminated.Reason));
        Assert.Equal("PodFailed", PodLab.Condition(failed, "Ready")!.Reason);
        Assert.Null(failed.Metadata.DeletionTimestamp);
        await lab.DeleteAsync("never");
        Assert.Null(await lab.GetAsync("never"));
    }

    [Fact]
    public async Task RestartOnFailure_ExitZero_SucceededKept()
    {
        var pod = Pod("done", 2, Command("app", TestPrograms.Shell("exit 0")));
        pod.Spec.RestartPolicy = "OnFailure";
        await lab.CreateAsync(pod);

        var done = await lab.WaitAsync("done", p => p.Status?.Phase == "Succeeded", "Succeeded");

        Assert.Equal(0, PodLab.Status(done)!.RestartCount);
        Assert.Equal("PodCompleted", PodLab.Condition(done, "Ready")!.Reason);
        Assert.Null(done.Metadata.DeletionTimestamp);
        await lab.DeleteAsync("done");
        Assert.Null(await lab.GetAsync("done"));
    }

    [Fact]
    public async Task RestartOnFailure_ExitNonZero_Restarted()
    {
        var pod = Pod("retry", 2, Command("app", TestPrograms.Shell("exit 1")));
        pod.Spec.RestartPolicy = "OnFailure";
        await lab.CreateAsync(pod);

        var retried = await lab.WaitAsync("retry", p => PodLab.Status(p)?.RestartCount >= 1, "restarted");

        Assert.Equal("Running", retried.Status.Phase);
        Assert.Equal(1, PodLab.Status(retried)!.LastState?.Terminated?.ExitCode);
        await lab.DeleteAsync("retry", grace: 0);
    }
}
