using static Berth.IntegrationTests.Termination.TerminationPods;

namespace Berth.IntegrationTests.Termination;

/// <summary>
/// Init containers in order and sidecars (restartable init containers) on real processes: start order, and
/// kubernetes-termination.md §9 scenario 15 — sidecars get the stop signal after the mains exit, in reverse order.
/// </summary>
[Trait("Category", "Process")]
public sealed class SidecarAndInitTests(BerthServerFixture fixture) : IClassFixture<BerthServerFixture>
{
    private readonly PodLab lab = new(fixture.Host);

    [Fact]
    public async Task Create_InitSidecarInitMain_EachStartsAfterThePreviousOneIsDoneOrStarted()
    {
        var pod = Pod("order", 2, Command("app", TestPrograms.Shell("trap 'exit 0' TERM; while :; do sleep 0.1; done")));
        pod.Spec.InitContainers =
        [
            Command("init1", TestPrograms.Shell("sleep 0.3")),
            Command("side", TestPrograms.Shell("trap 'exit 0' TERM; while :; do sleep 0.1; done")).AsSidecar(),
            Command("init2", TestPrograms.Shell("sleep 0.3")),
        ];
        var created = await lab.CreateAsync(pod);
        var running = await lab.RunningAsync("order");
        var uid = created.Metadata.Uid;

        var init1 = (await lab.InstancesAsync(uid, "init1")).Single();
        var side = (await lab.InstancesAsync(uid, "side")).Single();
        var init2 = (await lab.InstancesAsync(uid, "init2")).Single();
        var app = (await lab.InstancesAsync(uid, "app")).Single();
        Assert.True(init1.FinishedAt <= side.StartedAt, "the sidecar starts after init1 completed");
        Assert.True(side.StartedAt <= init2.StartedAt, "init2 starts after the sidecar started");
        Assert.True(init2.FinishedAt <= app.StartedAt, "the main container starts after init2 completed");
        Assert.Equal("Completed", PodLab.Status(running, "init2")!.State.Terminated.Reason);
        Assert.NotNull(PodLab.Status(running, "side")!.State.Running);
        Assert.Equal("True", PodLab.Condition(running, "Initialized")!.Status);
        await lab.DeleteAsync("order", grace: 0);
    }

    [Fact]
    public async Task Delete_TwoSidecars_MainFirstThenSidecarsInReverseOrder()
    {
        var app = lab.NewRecordFile("app");
        var s1 = lab.NewRecordFile("s1");
        var s2 = lab.NewRecordFile("s2");
        var pod = Pod("sidecars", 5, Recorder("app", app, ("EXIT_AFTER_TERM_MS", "1000")));
        pod.Spec.InitContainers =
        [
            Recorder("s1", s1, ("EXIT_AFTER_TERM_MS", "500")).AsSidecar(),
            Recorder("s2", s2, ("EXIT_AFTER_TERM_MS", "500")).AsSidecar(),
        ];
        var created = await lab.CreateAsync(pod);
        await lab.RunningAsync("sidecars", app);
        await s1.WaitForAsync("READY");
        await s2.WaitForAsync("READY");
        var uid = created.Metadata.Uid;

        var start = await lab.DeleteAsync("sidecars");
        var s1Exit = await lab.ExitedAsync(uid, "s1");
        var appExit = await lab.ExitedAsync(uid, "app");
        var s2Exit = await lab.ExitedAsync(uid, "s2");

        Tolerances.Soon(start, app.First("SIGTERM")!.At, "app SIGTERM");
        var s2Term = s2.First("SIGTERM")!.At;
        var s1Term = s1.First("SIGTERM")!.At;
        Tolerances.After(appExit.FinishedAt!.Value, s2Term, "s2 SIGTERM right after the main container exits");
        Tolerances.After(s2Exit.FinishedAt!.Value, s1Term, "s1 SIGTERM right after s2 exits");
        Assert.True(s1Exit.FinishedAt > s2Exit.FinishedAt, "s1 is the last to go");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await lab.EventsAsync("sidecars")).Count(e => e.Reason == "Killing") == 3,
            because: "one Killing event per container, sidecars included");
        await lab.WaitGoneAsync("sidecars");
    }
}
