using static Berth.IntegrationTests.Termination.TerminationPods;

namespace Berth.IntegrationTests.Termination;

/// <summary>postStart hooks on real processes (kubernetes-termination.md §2.5): a failure kills the container.</summary>
[Trait("Category", "Process")]
public sealed class PostStartTests(BerthServerFixture fixture) : IClassFixture<BerthServerFixture>
{
    private readonly PodLab lab = new(fixture.Host);

    [Fact]
    public async Task PostStartExecFails_FailedPostStartHookAndContainerKilled()
    {
        var record = lab.NewRecordFile("poststart");
        var pod = Pod("poststart", 2, Recorder("app", record, ("EXIT_CODE", "1"))
            .WithPostStart(Exec("/bin/sh", "-c", $"until grep -q READY {record.Path}; do sleep 0.05; done; exit 1")));
        pod.Spec.RestartPolicy = "Never";
        await lab.CreateAsync(pod);

        var failed = await lab.WaitAsync("poststart", p => p.Status?.Phase == "Failed", "Failed");

        Assert.NotNull(record.First("SIGTERM"));
        var hook = await lab.WaitEventAsync("poststart", "FailedPostStartHook");
        Assert.Equal(("Warning", "PostStartHook failed"), (hook.Type, hook.Message));
        await lab.WaitEventAsync("poststart", "Killing", e => e.Message == "FailedPostStartHook");
        Assert.Equal(1, PodLab.Status(failed)!.State.Terminated.ExitCode);
        await lab.DeleteAsync("poststart");
    }

    [Fact]
    public async Task PostStartSleep_ContainerRunningOnlyAfterTheHook()
    {
        var record = lab.NewRecordFile("slowstart");
        await using var history = new PodHistory(lab.Api, PodLab.Ns, "slowstart");
        var created = await lab.CreateAsync(Pod("slowstart", 2, Recorder("app", record).WithPostStart(Sleep(1))));

        var running = await history.WaitForAsync(o => PodLab.Status(o.Pod)?.State?.Running is not null, "Running reported");

        var started = (await lab.InstancesAsync(created.Metadata.Uid, "app")).Single().StartedAt!.Value;
        Assert.True((running.At - started).TotalSeconds >= 0.9,
            $"Running reported {(running.At - started).TotalSeconds:0.000}s after the process started, i.e. after the 1 s postStart hook");
        await lab.DeleteAsync("slowstart", grace: 0);
    }
}
