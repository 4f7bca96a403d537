using Berth.Machinery.Errors;
using static Berth.IntegrationTests.Termination.TerminationPods;

namespace Berth.IntegrationTests.Termination;

/// <summary>
/// kubernetes-termination.md §9 scenarios 6 and 11 on the real server: preStop sleep validation and negative grace
/// values (API rules; the pods run, so the node agent sees what was stored).
/// </summary>
[Trait("Category", "Process")]
public sealed class ApiGraceRuleTests(BerthServerFixture fixture) : IClassFixture<BerthServerFixture>
{
    private readonly PodLab lab = new(fixture.Host);

    [Fact]
    public async Task Create_PreStopSleepLongerThanGrace_RejectedWithUpstreamMessage()
    {
        var pod = Pod("too-long", 30, Command("app", TestPrograms.Shell("sleep 60")).WithPreStop(Sleep(40)));

        var error = await Assert.ThrowsAsync<ApiException>(() => lab.CreateAsync(pod));

        Assert.Equal(422, error.Code);
        Assert.Contains("Invalid value: 40: must be non-negative and less than terminationGracePeriodSeconds (30)", error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_PreStopSleepZero_AcceptedAndNoDelayBeforeSigterm()
    {
        var record = lab.NewRecordFile("zero-sleep");
        await lab.CreateAsync(Pod("zero-sleep", 3, Recorder("app", record).WithPreStop(Sleep(0))));
        await lab.RunningAsync("zero-sleep", record);

        var start = await lab.DeleteAsync("zero-sleep");

        Tolerances.Soon(start, (await record.WaitForAsync("SIGTERM")).At, "SIGTERM after a zero sleep hook");
        await lab.WaitGoneAsync("zero-sleep");
    }

    [Fact]
    public async Task NegativeGrace_StoredAsOneAndDeleteTreatedAsOne()
    {
        var record = lab.NewRecordFile("negative");
        var pod = await lab.CreateAsync(Pod("negative", -5, Recorder("app", record, ("IGNORE_TERM", "1"))));
        Assert.Equal(1, pod.Spec.TerminationGracePeriodSeconds);
        await lab.RunningAsync("negative", record);

        var start = await lab.DeleteAsync("negative", grace: -3);
        var deleting = await lab.GetAsync("negative");
        var exited = await lab.ExitedAsync(pod.Metadata.Uid);

        Assert.Equal(1, deleting?.Metadata.DeletionGracePeriodSeconds);
        Tolerances.At(2.0, start, exited.FinishedAt!.Value, "SIGKILL (grace 1, floored to 2)");
        await lab.WaitGoneAsync("negative");
    }
}
