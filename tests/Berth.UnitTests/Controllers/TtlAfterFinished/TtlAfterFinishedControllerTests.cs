using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Controllers.Job;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.UnitTests.Controllers.Job;
using static Berth.UnitTests.Controllers.Job.BatchObjects;

namespace Berth.UnitTests.Controllers.TtlAfterFinished;

public sealed class TtlAfterFinishedControllerTests : IAsyncDisposable
{
    private readonly BatchTestHost _host = new();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task CreateFinishedJobAsync(string name, int? ttl)
    {
        var spec = JobSpec();
        if (ttl is not null)
        {
            spec["ttlSecondsAfterFinished"] = ttl;
        }
        var job = await _host.Api.CreateAsync(KindRegistry.Jobs, BatchTestHost.Ns, NewJob(name, spec));
        var now = _host.FakeTime.GetUtcNow();
        JobConditions.Append(job, JobConditions.New(JobConditions.Complete, "True", "", "", now));
        job.SetPath(now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), "status", "completionTime");
        await _host.Api.UpdateAsync(KindRegistry.Jobs, BatchTestHost.Ns, job, "status");
    }

    [Fact]
    public async Task Sync_TtlExpired_DeletesJobInForeground()
    {
        _host.Run(jobs: false, ttl: true, gc: true);
        await CreateFinishedJobAsync("done", ttl: 5);
        await CreateFinishedJobAsync("kept", ttl: null);

        _host.FakeTime.Advance(TimeSpan.FromSeconds(4));
        await Task.Delay(200);
        Assert.True(await _host.ExistsAsync(KindRegistry.Jobs, "done"));

        _host.FakeTime.Advance(TimeSpan.FromSeconds(1));
        await _host.WaitUntilAsync(async () => !await _host.ExistsAsync(KindRegistry.Jobs, "done"), "deleted 5 s after finishing");
        Assert.True(await _host.ExistsAsync(KindRegistry.Jobs, "kept"));
    }

    [Fact]
    public async Task Sync_TtlExpiredGcNotRunning_DeletionIsForeground()
    {
        _host.Run(jobs: false, ttl: true);
        await CreateFinishedJobAsync("done", ttl: 0);

        await _host.WaitUntilAsync(async () => (await _host.GetAsync(KindRegistry.Jobs, "done")).GetString("metadata", "deletionTimestamp") is not null);
        var finalizers = (await _host.GetAsync(KindRegistry.Jobs, "done")).GetArray("metadata", "finalizers")!;
        Assert.Contains(finalizers, f => f?.GetValue<string>() == "foregroundDeletion");
    }

    [Fact]
    public async Task Sync_RunningJob_NotDeleted()
    {
        _host.Run(jobs: false, ttl: true);
        var spec = JobSpec();
        spec["ttlSecondsAfterFinished"] = JsonValue.Create(0);
        await _host.Api.CreateAsync(KindRegistry.Jobs, BatchTestHost.Ns, NewJob("running", spec));
        _host.FakeTime.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(200);
        Assert.True(await _host.ExistsAsync(KindRegistry.Jobs, "running"));
    }
}
