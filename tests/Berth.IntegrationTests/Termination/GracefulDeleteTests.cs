using k8s.Models;
using static Berth.IntegrationTests.Termination.TerminationPods;

namespace Berth.IntegrationTests.Termination;

/// <summary>
/// kubernetes-termination.md §9 scenarios 1 and 2 (and the default grace) on real processes: DELETE → Killing → SIGTERM
/// → exit → terminal phase with Ready=False → the node agent's final DELETE.
/// </summary>
[Trait("Category", "Process")]
public sealed class GracefulDeleteTests(BerthServerFixture fixture) : IClassFixture<BerthServerFixture>
{
    private readonly PodLab lab = new(fixture.Host);

    [Fact]
    public async Task Delete_AppExitsZeroOnTerm_CompletedSucceededPodCompletedThenGone()
    {
        var record = lab.NewRecordFile("clean");
        await using var history = new PodHistory(lab.Api, PodLab.Ns, "clean");
        await lab.CreateAsync(Pod("clean", 3, Recorder("app", record)));
        await lab.RunningAsync("clean", record);

        var start = await lab.DeleteAsync("clean");
        var term = await record.WaitForAsync("SIGTERM");
        await lab.WaitGoneAsync("clean");
        var gone = TimeProvider.System.GetUtcNow();

        Tolerances.Soon(start, term.At, "SIGTERM");
        Assert.True((gone - start).TotalSeconds < 3, $"object gone after {(gone - start).TotalSeconds:0.000}s");
        var terminal = await history.WaitForAsync(o => o.Pod.Status?.Phase == "Succeeded", "terminal phase written");
        var state = PodLab.Status(terminal.Pod)!.State.Terminated;
        Assert.Equal((0, "Completed"), (state.ExitCode, state.Reason));
        var ready = PodLab.Condition(terminal.Pod, "Ready")!;
        Assert.Equal(("False", "PodCompleted"), (ready.Status, ready.Reason));
        var deleted = await history.WaitForAsync(o => o.Type == Berth.Registry.ApiWatchEventType.Deleted, "DELETED");
        Assert.True(deleted.At >= terminal.At, "terminal status is written before the object goes");
        var killing = await lab.WaitEventAsync("clean", "Killing");
        Assert.Equal("Stopping container app", killing.Message);
    }

    [Fact]
    public async Task Delete_AppIgnoresTerm_SigkillAtGrace137FailedPodFailed()
    {
        var record = lab.NewRecordFile("stubborn");
        await using var history = new PodHistory(lab.Api, PodLab.Ns, "stubborn");
        var pod = await lab.CreateAsync(Pod("stubborn", 2, Recorder("app", record, ("IGNORE_TERM", "1"))));
        await lab.RunningAsync("stubborn", record);

        var start = await lab.DeleteAsync("stubborn");
        var exited = await lab.ExitedAsync(pod.Metadata.Uid);

        Tolerances.Soon(start, (await record.WaitForAsync("SIGTERM")).At, "SIGTERM");
        Tolerances.At(2.0, start, exited.FinishedAt!.Value, "SIGKILL");
        Assert.Equal(137, exited.ExitCode);
        var terminal = await history.WaitForAsync(o => o.Pod.Status?.Phase == "Failed", "terminal phase written");
        var state = PodLab.Status(terminal.Pod)!.State.Terminated;
        Assert.Equal((137, "Error"), (state.ExitCode, state.Reason));
        Assert.Equal("PodFailed", PodLab.Condition(terminal.Pod, "Ready")!.Reason);
        await lab.WaitGoneAsync("stubborn");
        Assert.DoesNotContain(await lab.EventsAsync("stubborn"), e => e.Reason == "ExceededGracePeriod");
    }

    [Fact]
    public async Task Delete_NoSignalHandler_HostProcessSemanticsExit143Error()
    {
        var pod = await lab.CreateAsync(Pod("plain", 3, Command("app", TestPrograms.Script("no-trap.sh"))));
        await lab.RunningAsync("plain");

        var start = await lab.DeleteAsync("plain");
        var exited = await lab.ExitedAsync(pod.Metadata.Uid);

        Tolerances.Soon(start, exited.FinishedAt!.Value, "death by SIGTERM's default action");
        Assert.Equal((143, "Error"), (exited.ExitCode, exited.Reason));
        await lab.WaitGoneAsync("plain");
    }

    [Fact]
    public async Task Delete_AppExitsNonZeroOnTerm_ErrorAndFailed()
    {
        var record = lab.NewRecordFile("three");
        await using var history = new PodHistory(lab.Api, PodLab.Ns, "three");
        await lab.CreateAsync(Pod("three", 3, Recorder("app", record, ("EXIT_CODE", "3"), ("EXIT_AFTER_TERM_MS", "200"))));
        await lab.RunningAsync("three", record);

        await lab.DeleteAsync("three");

        var terminal = await history.WaitForAsync(o => o.Pod.Status?.Phase == "Failed", "terminal phase written");
        var state = PodLab.Status(terminal.Pod)!.State.Terminated;
        Assert.Equal((3, "Error"), (state.ExitCode, state.Reason));
        await lab.WaitGoneAsync("three");
    }

    [Fact]
    public async Task Delete_DefaultGrace_ThirtySecondsRecordedAndHandlerExitEndsItEarly()
    {
        var record = lab.NewRecordFile("default");
        var created = await lab.CreateAsync(Pod("default", null, Recorder("app", record)));
        Assert.Equal(30, created.Spec.TerminationGracePeriodSeconds);
        await lab.RunningAsync("default", record);

        var start = await lab.DeleteAsync("default");
        var deleting = await lab.GetAsync("default");
        await lab.WaitGoneAsync("default");

        if (deleting is not null)
        {
            Assert.Equal(30, deleting.Metadata.DeletionGracePeriodSeconds);
        }
        Assert.True((TimeProvider.System.GetUtcNow() - start).TotalSeconds < 3, "a pod that exits on SIGTERM does not wait out its 30 s");
    }
}
