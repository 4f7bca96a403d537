using Berth.Registry;
using k8s.Models;
using static Berth.IntegrationTests.Termination.TerminationPods;

namespace Berth.IntegrationTests.Termination;

/// <summary>
/// kubernetes-termination.md §9 scenarios 7–10 and 12 on real processes: grace 1 (kubectl --grace-period=0), force
/// delete (grace 0), a shortening second DELETE (honoured by Berth, unlike upstream #83916), TGPS 0, and a finalizer.
/// </summary>
[Trait("Category", "Process")]
public sealed class GraceOverrideTests(BerthServerFixture fixture) : IClassFixture<BerthServerFixture>
{
    private readonly PodLab lab = new(fixture.Host);

    [Fact]
    public async Task Delete_GraceOne_StopTimeoutFlooredSigkillAtTwoThenTerminalPhaseAndGone()
    {
        var record = lab.NewRecordFile("one");
        await using var history = new PodHistory(lab.Api, PodLab.Ns, "one");
        var pod = await lab.CreateAsync(Pod("one", 30, Recorder("app", record, ("IGNORE_TERM", "1"))));
        await lab.RunningAsync("one", record);

        var start = await lab.DeleteAsync("one", grace: 1);
        var exited = await lab.ExitedAsync(pod.Metadata.Uid);

        Tolerances.Soon(start, record.First("SIGTERM")!.At, "SIGTERM");
        Tolerances.At(2.0, start, exited.FinishedAt!.Value, "SIGKILL at the 2 s floor");
        await history.WaitForAsync(o => o.Pod.Status?.Phase == "Failed" && o.Pod.Metadata.DeletionGracePeriodSeconds == 1,
            "terminal phase written on the graceful object");
        await lab.WaitGoneAsync("one");
    }

    [Fact]
    public async Task Delete_Force_ObjectGoneAtOnceNodeStillKillsAndSameNamePodUntouched()
    {
        var record = lab.NewRecordFile("force");
        await using var history = new PodHistory(lab.Api, PodLab.Ns, "force");
        var old = await lab.CreateAsync(Pod("force", 30, Recorder("app", record, ("IGNORE_TERM", "1"))));
        await lab.RunningAsync("force", record);

        var start = await lab.DeleteAsync("force", grace: 0);
        Assert.Null(await lab.GetAsync("force"));
        var fresh = await lab.CreateAsync(Pod("force", 30, Command("app", TestPrograms.Shell("trap 'exit 0' TERM; while :; do sleep 0.1; done"))));
        var exited = await lab.ExitedAsync(old.Metadata.Uid);

        Tolerances.Soon(start, record.First("SIGTERM")!.At, "SIGTERM on the node after a force delete");
        Tolerances.At(2.0, start, exited.FinishedAt!.Value, "SIGKILL (node grace 1, floored to 2)");
        Assert.DoesNotContain(history.Observations, o => o.Pod.Metadata.Uid == old.Metadata.Uid && o.Pod.Status?.Phase is "Failed" or "Succeeded");
        await lab.RunningAsync("force");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var survivor = await lab.GetAsync("force");
        Assert.Equal(fresh.Metadata.Uid, survivor?.Metadata.Uid);
        Assert.Null(survivor!.Metadata.DeletionTimestamp);
        await lab.DeleteAsync("force", grace: 0);
    }

    [Fact]
    public async Task Delete_ShortenedWhileTerminating_SigkillAtTheNewDeadline()
    {
        var record = lab.NewRecordFile("shorten");
        var pod = await lab.CreateAsync(Pod("shorten", 30, Recorder("app", record, ("IGNORE_TERM", "1"))));
        await lab.RunningAsync("shorten", record);

        var start = await lab.DeleteAsync("shorten", grace: 30);
        await record.WaitForAsync("SIGTERM");
        await Task.Delay(TimeSpan.FromSeconds(0.5));
        await lab.DeleteAsync("shorten", grace: 2);
        var shortened = await lab.GetAsync("shorten");
        await lab.DeleteAsync("shorten", grace: 120);
        var exited = await lab.ExitedAsync(pod.Metadata.Uid);

        Assert.Equal(2, shortened!.Metadata.DeletionGracePeriodSeconds);
        Tolerances.At(2.0, start, exited.FinishedAt!.Value, "SIGKILL at first DELETE + the shortened grace");
        Assert.Equal(137, exited.ExitCode);
        await lab.WaitGoneAsync("shorten");
    }

    [Fact]
    public async Task Delete_SpecGraceZeroWithoutOptions_GoneInTheSameRequestNodeKillsAtTwo()
    {
        var record = lab.NewRecordFile("zero");
        var pod = await lab.CreateAsync(Pod("zero", 0, Recorder("app", record, ("IGNORE_TERM", "1"))));
        await lab.RunningAsync("zero", record);

        var start = await lab.DeleteAsync("zero");
        var afterRequest = await lab.GetAsync("zero");
        var exited = await lab.ExitedAsync(pod.Metadata.Uid);

        Assert.Null(afterRequest);
        Tolerances.At(2.0, start, exited.FinishedAt!.Value, "SIGKILL (node grace 1, floored to 2)");
    }

    [Fact]
    public async Task Delete_UnscheduledPod_RemovedInTheSameRequest()
    {
        var pod = Pod("nowhere", 60, Command("app", TestPrograms.Shell("sleep 60")));
        pod.Spec.NodeName = "";
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["berth.test/none"] = "true" };
        await lab.CreateAsync(pod);

        await lab.DeleteAsync("nowhere", grace: 60);

        Assert.Null(await lab.GetAsync("nowhere"));
    }

    [Fact]
    public async Task Delete_WithFinalizer_TerminalPhaseWrittenObjectKeptUntilFinalizerRemoved()
    {
        var record = lab.NewRecordFile("final");
        var pod = Pod("final", 2, Recorder("app", record));
        pod.Metadata.Finalizers = ["berth.test/hold"];
        await lab.CreateAsync(pod);
        await lab.RunningAsync("final", record);

        await lab.DeleteAsync("final");
        var held = await lab.WaitAsync("final", p => p.Status?.Phase == "Succeeded" && p.Metadata.DeletionGracePeriodSeconds == 0,
            "terminal phase and the node's grace-0 delete");

        Assert.Equal("PodCompleted", PodLab.Condition(held, "Ready")!.Reason);
        var patch = new System.Text.Json.Nodes.JsonObject { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["finalizers"] = null } };
        await lab.Api.PatchAsync(Berth.Machinery.Kinds.KindRegistry.Pods, PodLab.Ns, "final", PatchType.Merge, patch).DefaultTimeout();
        await lab.WaitGoneAsync("final");
    }
}
