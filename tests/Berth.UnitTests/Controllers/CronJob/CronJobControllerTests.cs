using System.Text.Json.Nodes;
using Berth.Controllers.CronJob;
using Berth.Controllers.Job;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.UnitTests.Controllers.Job;
using static Berth.UnitTests.Controllers.Job.BatchObjects;

namespace Berth.UnitTests.Controllers.CronJob;

/// <summary>The CronJob controller on a fake clock that starts at 10:00:30; a "* * * * *" CronJob is due at 10:01:00.</summary>
public sealed class CronJobControllerTests : IAsyncDisposable
{
    private static readonly DateTimeOffset FirstRun = new(2026, 3, 1, 10, 1, 0, TimeSpan.Zero);

    /// <summary>
    /// Waits keep the clock moving in small steps: a sync that read the clock just before a test's jump re-queues
    /// itself relative to the old time, and must still come due.
    /// </summary>
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    private readonly BatchTestHost _host = new();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<IReadOnlyList<JsonObject>> JobsAsync() => await _host.ListAsync(KindRegistry.Jobs);

    private Task<JsonObject> CronJobAsync() => _host.GetAsync(KindRegistry.CronJobs, "tick");

    /// <summary>Advances the clock to <paramref name="time"/> plus a second, in one step (the queue's delay fires).</summary>
    private void AdvanceTo(DateTimeOffset time) => _host.FakeTime.Advance(time + TimeSpan.FromSeconds(1) - _host.FakeTime.GetUtcNow());

    /// <summary>Marks the CronJob's Job <paramref name="name"/> Complete (as the Job controller would).</summary>
    private async Task CompleteJobAsync(string name, string type = "Complete")
    {
        var job = await _host.GetAsync(KindRegistry.Jobs, name);
        var now = _host.FakeTime.GetUtcNow();
        JobConditions.Append(job, JobConditions.New(type, "True", "", "", now));
        job.SetPath(now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), "status", "startTime");
        if (type == "Complete")
        {
            job.SetPath(job.GetString("status", "startTime"), "status", "completionTime");
        }
        await _host.Api.UpdateAsync(KindRegistry.Jobs, BatchTestHost.Ns, job, "status");
    }

    [Fact]
    public async Task Sync_ScheduleDue_CreatesJobNamedByScheduledMinuteAndRequeues()
    {
        _host.Run(jobs: false, cronJobs: true);
        await _host.Api.CreateAsync(KindRegistry.CronJobs, BatchTestHost.Ns, NewCronJob("tick", "* * * * *"));
        await Task.Delay(200);
        Assert.Empty(await JobsAsync());

        AdvanceTo(FirstRun);
        await _host.WaitUntilAsync(async () => (await JobsAsync()).Count == 1, step: Step);
        var job = (await JobsAsync()).Single();
        Assert.Equal($"tick-{FirstRun.ToUnixTimeSeconds() / 60}", job.GetName());
        Assert.Equal("2026-03-01T10:01:00Z", job.GetString("metadata", "annotations", CronJobUtil.ScheduledTimestampAnnotation));
        await _host.WaitUntilAsync(async () => (await CronJobAsync()).GetString("status", "lastScheduleTime") == "2026-03-01T10:01:00Z", step: Step);
        var active = (await CronJobAsync()).GetArray("status", "active")!.Single()!.AsObject();
        Assert.Equal((job.GetName(), job.GetUid(), "Job"), (active.GetString("name"), active.GetString("uid"), active.GetString("kind")));

        AdvanceTo(FirstRun.AddMinutes(1));
        await _host.WaitUntilAsync(async () => (await JobsAsync()).Count == 2, "Allow starts the next one alongside", step: Step);
        await _host.Events.WaitForAsync(e => e.Reason == "SuccessfulCreate");
    }

    [Fact]
    public async Task Sync_ForbidWithActiveJob_SkipsTheNextStart()
    {
        _host.Run(jobs: false, cronJobs: true);
        await _host.Api.CreateAsync(KindRegistry.CronJobs, BatchTestHost.Ns, NewCronJob("tick", "* * * * *", "Forbid"));
        AdvanceTo(FirstRun);
        await _host.WaitUntilAsync(async () => (await CronJobAsync()).GetArray("status", "active")?.Count == 1, step: Step);

        AdvanceTo(FirstRun.AddMinutes(1));
        await _host.WaitUntilAsync(() => Task.FromResult(_host.Events.Events.Any(e => e.Reason == "JobAlreadyActive")), step: Step);
        Assert.Single(await JobsAsync());

        var first = (await JobsAsync()).Single().GetName()!;
        await CompleteJobAsync(first);
        await _host.WaitUntilAsync(async () => (await JobsAsync()).Count == 2, "the skipped start runs once the prior job finished", step: Step);
        await _host.WaitUntilAsync(async () => (await CronJobAsync()).GetString("status", "lastScheduleTime") == "2026-03-01T10:02:00Z", step: Step);
        var cronJob = await CronJobAsync();
        Assert.NotNull(cronJob.GetString("status", "lastSuccessfulTime"));
        Assert.DoesNotContain(cronJob.GetArray("status", "active")!, r => r!["name"]!.GetValue<string>() == first);
    }

    [Fact]
    public async Task Sync_Replace_DeletesTheActiveJobAndStartsANewOne()
    {
        _host.Run(jobs: false, cronJobs: true);
        await _host.Api.CreateAsync(KindRegistry.CronJobs, BatchTestHost.Ns, NewCronJob("tick", "* * * * *", "Replace"));
        AdvanceTo(FirstRun);
        await _host.WaitUntilAsync(async () => (await JobsAsync()).Count == 1, step: Step);
        var first = (await JobsAsync()).Single().GetName();

        AdvanceTo(FirstRun.AddMinutes(1));
        await _host.WaitUntilAsync(async () => (await JobsAsync()).Any(j => j.GetName() != first), step: Step);
        await _host.WaitUntilAsync(async () => (await JobsAsync()).All(j => j.GetName() != first || j.GetString("metadata", "deletionTimestamp") is not null),
            step: Step);
        Assert.Single((await CronJobAsync()).GetArray("status", "active")!);
    }

    [Fact]
    public async Task Sync_Suspended_StartsNothing()
    {
        _host.Run(jobs: false, cronJobs: true);
        await _host.Api.CreateAsync(KindRegistry.CronJobs, BatchTestHost.Ns, NewCronJob("tick", "* * * * *", extra: new JsonObject { ["suspend"] = true }));
        AdvanceTo(FirstRun);
        await Task.Delay(300);
        AdvanceTo(FirstRun.AddMinutes(1));
        await Task.Delay(300);
        Assert.Empty(await JobsAsync());
    }

    [Fact]
    public async Task Sync_StartingDeadlinePassed_SkipsMissedStartAndRunsTheNext()
    {
        await _host.Api.CreateAsync(KindRegistry.CronJobs, BatchTestHost.Ns, NewCronJob("tick", "* * * * *", extra: new JsonObject { ["startingDeadlineSeconds"] = 5 }));
        _host.FakeTime.Advance(TimeSpan.FromSeconds(60));
        _host.Run(jobs: false, cronJobs: true);
        await Task.Delay(300);
        Assert.Empty(await JobsAsync());

        AdvanceTo(FirstRun.AddMinutes(1));
        await _host.WaitUntilAsync(async () => (await JobsAsync()).Count == 1, step: Step);
        var minute = long.Parse((await JobsAsync()).Single().GetName()!["tick-".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(minute >= FirstRun.AddMinutes(1).ToUnixTimeSeconds() / 60, "the start missed by more than the deadline is skipped");
    }

    [Fact]
    public async Task Cleanup_HistoryLimits_DeleteOldestFinishedJobs()
    {
        _host.Run(jobs: false, cronJobs: true);
        var extra = new JsonObject { ["successfulJobsHistoryLimit"] = 1, ["failedJobsHistoryLimit"] = 0 };
        await _host.Api.CreateAsync(KindRegistry.CronJobs, BatchTestHost.Ns, NewCronJob("tick", "* * * * *", extra: extra));
        string[] outcomes = ["Complete", "Failed", "Complete"];
        for (var minute = 0; minute < 3; minute++)
        {
            var at = FirstRun.AddMinutes(minute);
            var name = $"tick-{at.ToUnixTimeSeconds() / 60}";
            AdvanceTo(at);
            await _host.WaitUntilAsync(() => _host.ExistsAsync(KindRegistry.Jobs, name), step: Step);
            await CompleteJobAsync(name, outcomes[minute]);
        }
        await _host.WaitUntilAsync(async () => (await JobsAsync()).Count == 1, "one successful job kept, no failed job", step: Step);
        Assert.Equal($"tick-{FirstRun.AddMinutes(2).ToUnixTimeSeconds() / 60}", (await JobsAsync()).Single().GetName());
        await _host.Events.WaitForAsync(e => e.Reason == "SuccessfulDelete");
    }
}
