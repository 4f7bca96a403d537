using System.Text.Json.Nodes;
using Berth.Controllers.Job;
using Berth.Controllers.Util;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using static Berth.UnitTests.Controllers.Job.BatchObjects;

namespace Berth.UnitTests.Controllers.Job;

public sealed class JobControllerTests : IAsyncDisposable
{
    private readonly BatchTestHost _host = new();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private Task<JsonObject> JobAsync(string name = "pi") => _host.GetAsync(KindRegistry.Jobs, name);

    private static string? Condition(JsonObject job, string type) => JobConditions.Find(job, type)?.GetString("status");

    private static bool HasFinalizer(JsonObject pod) =>
        (pod.GetArray("metadata", "finalizers") ?? []).Any(f => f?.GetValue<string>() == JobPods.JobTrackingFinalizer);

    [Fact]
    public async Task Sync_CompletionsThreeParallelismTwo_RunsToComplete()
    {
        _host.Run();
        var job = await _host.Api.CreateAsync(KindRegistry.Jobs, BatchTestHost.Ns, NewJob("pi", JobSpec(completions: 3, parallelism: 2)));
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 2);
        var first = await _host.ActivePodsAsync();
        Assert.All(first, p =>
        {
            Assert.True(HasFinalizer(p));
            Assert.StartsWith("pi-", p.GetName(), StringComparison.Ordinal);
            Assert.Equal(job.GetUid(), OwnerReferences.GetControllerOf(p)!.GetString("uid"));
            Assert.Equal("pi", p.GetLabels()[JobPods.JobNameLabel]);
        });
        await _host.WaitUntilAsync(async () => (await JobAsync()).GetLong("status", "active") == 2);
        Assert.NotNull((await JobAsync()).GetString("status", "startTime"));

        foreach (var pod in first)
        {
            await _host.FinishPodAsync(pod, succeeded: true);
        }
        await _host.WaitUntilAsync(async () => (await JobAsync()).GetLong("status", "succeeded") == 2 && (await _host.ActivePodsAsync()).Count == 1,
            "one more pod for the third completion");
        await _host.FinishPodAsync((await _host.ActivePodsAsync()).Single(), succeeded: true);

        await _host.WaitUntilAsync(async () => Condition(await JobAsync(), JobConditions.Complete) == "True");
        var done = await JobAsync();
        Assert.Equal(3, done.GetLong("status", "succeeded"));
        Assert.Null(done.GetLong("status", "active"));
        Assert.Equal("True", Condition(done, JobConditions.SuccessCriteriaMet));
        Assert.Equal(JobConditions.ReasonCompletionsReached, JobConditions.Find(done, JobConditions.Complete)!.GetString("reason"));
        Assert.NotNull(done.GetString("status", "completionTime"));
        Assert.Equal(new JsonObject(), done.GetObject("status", "uncountedTerminatedPods"));
        Assert.All(await _host.ListAsync(KindRegistry.Pods), p => Assert.False(HasFinalizer(p)));
        Assert.Equal(3, (await _host.ListAsync(KindRegistry.Pods)).Count);
        await _host.Events.WaitForAsync(e => e.Reason == "Completed");
        foreach (var pod in await _host.ListAsync(KindRegistry.Pods))
        {
            await _host.Events.WaitForAsync(e => e.Reason == "SuccessfulCreate" && e.Message == $"Created pod: {pod.GetName()}");
        }
    }

    [Fact]
    public async Task Sync_PodsFail_BackOffTenSecondsThenBackoffLimitExceeded()
    {
        _host.Run();
        await _host.Api.CreateAsync(KindRegistry.Jobs, BatchTestHost.Ns, NewJob("pi", JobSpec(backoffLimit: 1)));
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 1);
        await _host.FinishPodAsync((await _host.ActivePodsAsync()).Single(), succeeded: false);
        await _host.WaitUntilAsync(async () => (await JobAsync()).GetLong("status", "failed") == 1);

        _host.FakeTime.Advance(TimeSpan.FromSeconds(8));
        await Task.Delay(200);
        Assert.Empty(await _host.ActivePodsAsync());
        _host.FakeTime.Advance(TimeSpan.FromSeconds(2));
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 1, "the replacement comes after 10 s", TimeSpan.FromMilliseconds(200));
        await _host.FinishPodAsync((await _host.ActivePodsAsync()).Single(), succeeded: false);

        await _host.WaitUntilAsync(async () => Condition(await JobAsync(), JobConditions.Failed) == "True");
        var failed = await JobAsync();
        Assert.Equal(2, failed.GetLong("status", "failed"));
        Assert.Equal(JobConditions.ReasonBackoffLimitExceeded, JobConditions.Find(failed, JobConditions.Failed)!.GetString("reason"));
        Assert.Equal("True", Condition(failed, JobConditions.FailureTarget));
        Assert.Null(failed.GetString("status", "completionTime"));
        await _host.Events.WaitForAsync(e => e.Reason == JobConditions.ReasonBackoffLimitExceeded);
    }

    [Fact]
    public async Task Sync_ActiveDeadlinePassed_DeletesPodsAndFailsWithDeadlineExceeded()
    {
        _host.Run();
        var spec = JobSpec(parallelism: 2, completions: 4);
        spec["activeDeadlineSeconds"] = 5;
        await _host.Api.CreateAsync(KindRegistry.Jobs, BatchTestHost.Ns, NewJob("pi", spec));
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 2);
        // The deadline counts from status.startTime: advancing the clock before the controller wrote it would move it.
        await _host.WaitUntilAsync(async () => (await JobAsync()).GetString("status", "startTime") is not null);

        _host.FakeTime.Advance(TimeSpan.FromSeconds(5));
        await _host.WaitUntilAsync(async () => (await _host.ListAsync(KindRegistry.Pods)).All(p => p.GetString("metadata", "deletionTimestamp") is not null),
            step: TimeSpan.FromMilliseconds(200));
        await _host.WaitUntilAsync(async () => Condition(await JobAsync(), JobConditions.FailureTarget) == "True");
        Assert.Null(Condition(await JobAsync(), JobConditions.Failed));
        Assert.Equal(2, (await JobAsync()).GetLong("status", "terminating"));

        await _host.FinishTerminatingAsync();
        await _host.WaitUntilAsync(async () => Condition(await JobAsync(), JobConditions.Failed) == "True", "Failed once no pod is terminating");
        var failed = await JobAsync();
        Assert.Equal(JobConditions.ReasonDeadlineExceeded, JobConditions.Find(failed, JobConditions.Failed)!.GetString("reason"));
        Assert.Equal(2, failed.GetLong("status", "failed"));
        Assert.Equal(0, failed.GetLong("status", "terminating"));
        Assert.Empty(await _host.ListAsync(KindRegistry.Pods));
    }

    [Fact]
    public async Task Sync_Indexed_OnePodPerIndexWithIndexEnvAndCompletedIndexes()
    {
        _host.Run();
        var spec = JobSpec(completions: 3, parallelism: 3);
        spec["completionMode"] = "Indexed";
        await _host.Api.CreateAsync(KindRegistry.Jobs, BatchTestHost.Ns, NewJob("idx", spec));
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 3);
        var pods = (await _host.ActivePodsAsync()).OrderBy(p => p.GetName()).ToList();
        for (var i = 0; i < 3; i++)
        {
            var pod = pods[i];
            Assert.StartsWith($"idx-{i}-", pod.GetName(), StringComparison.Ordinal);
            Assert.Equal($"{i}", pod.GetString("metadata", "annotations", JobPods.JobCompletionIndexAnnotation));
            Assert.Equal($"{i}", pod.GetLabels()[JobPods.JobCompletionIndexAnnotation]);
            Assert.Equal($"idx-{i}", pod.GetString("spec", "hostname"));
            var env = pod.GetArray("spec", "containers")![0]!.AsObject().GetArray("env")!.OfType<JsonObject>().Single();
            Assert.Equal(JobPods.JobCompletionIndexEnvName, env.GetString("name"));
            Assert.Equal("metadata.annotations['batch.kubernetes.io/job-completion-index']", env.GetString("valueFrom", "fieldRef", "fieldPath"));
        }

        await _host.FinishPodAsync(pods[0], succeeded: true);
        await _host.FinishPodAsync(pods[2], succeeded: true);
        await _host.WaitUntilAsync(async () => (await _host.GetAsync(KindRegistry.Jobs, "idx")).GetString("status", "completedIndexes") == "0,2");
        await _host.FinishPodAsync(pods[1], succeeded: true);
        await _host.WaitUntilAsync(async () => Condition(await _host.GetAsync(KindRegistry.Jobs, "idx"), JobConditions.Complete) == "True");
        var done = await _host.GetAsync(KindRegistry.Jobs, "idx");
        Assert.Equal("0-2", done.GetString("status", "completedIndexes"));
        Assert.Equal(3, done.GetLong("status", "succeeded"));
    }

    [Fact]
    public async Task Sync_SuccessPolicyMet_DeletesRemainingPodsThenCompletes()
    {
        _host.Run();
        var spec = JobSpec(completions: 3, parallelism: 3);
        spec["completionMode"] = "Indexed";
        spec["successPolicy"] = new JsonObject { ["rules"] = new JsonArray(new JsonObject { ["succeededIndexes"] = "0" }) };
        await _host.Api.CreateAsync(KindRegistry.Jobs, BatchTestHost.Ns, NewJob("idx", spec));
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 3);
        var leader = (await _host.ActivePodsAsync()).Single(p => p.GetString("metadata", "annotations", JobPods.JobCompletionIndexAnnotation) == "0");

        await _host.FinishPodAsync(leader, succeeded: true);
        await _host.WaitUntilAsync(async () => Condition(await _host.GetAsync(KindRegistry.Jobs, "idx"), JobConditions.SuccessCriteriaMet) == "True");
        var met = JobConditions.Find(await _host.GetAsync(KindRegistry.Jobs, "idx"), JobConditions.SuccessCriteriaMet)!;
        Assert.Equal((SuccessPolicy.ReasonSuccessPolicy, "Matched rules at index 0"), (met.GetString("reason"), met.GetString("message")));
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 0, "the other indexes are deleted");
        Assert.Null(Condition(await _host.GetAsync(KindRegistry.Jobs, "idx"), JobConditions.Complete));

        await _host.FinishTerminatingAsync();
        await _host.WaitUntilAsync(async () => Condition(await _host.GetAsync(KindRegistry.Jobs, "idx"), JobConditions.Complete) == "True", "Complete once none terminates");
        var done = await _host.GetAsync(KindRegistry.Jobs, "idx");
        Assert.Equal(SuccessPolicy.ReasonSuccessPolicy, JobConditions.Find(done, JobConditions.Complete)!.GetString("reason"));
        Assert.Equal("0", done.GetString("status", "completedIndexes"));
        Assert.Equal(1, done.GetLong("status", "succeeded"));
        Assert.NotNull(done.GetString("status", "completionTime"));
    }

    [Fact]
    public async Task Sync_Suspended_DeletesActivePodsAndResumeRestartsClock()
    {
        _host.Run();
        await _host.Api.CreateAsync(KindRegistry.Jobs, BatchTestHost.Ns, NewJob("pi", JobSpec(parallelism: 2, completions: 2)));
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 2);
        await SetSuspendAsync(true);

        await _host.WaitUntilAsync(async () => Condition(await JobAsync(), JobConditions.Suspended) == "True");
        Assert.Empty(await _host.ActivePodsAsync());
        Assert.All(await _host.ListAsync(KindRegistry.Pods), p => Assert.False(HasFinalizer(p)));
        Assert.Null((await JobAsync()).GetLong("status", "failed"));

        await _host.FinishTerminatingAsync();
        await SetSuspendAsync(false);
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 2);
        await _host.WaitUntilAsync(async () => Condition(await JobAsync(), JobConditions.Suspended) == "False");
        Assert.Equal("JobResumed", JobConditions.Find(await JobAsync(), JobConditions.Suspended)!.GetString("reason"));
    }

    private Task SetSuspendAsync(bool suspend) => ObjectUpdater.UpdateAsync(_host.Api, KindRegistry.Jobs, BatchTestHost.Ns, "pi", null, job =>
    {
        job.SetPath(suspend, "spec", "suspend");
        return true;
    }, CancellationToken.None);

    [Fact]
    public async Task Sync_OnFailureRestarts_CountTowardBackoffLimit()
    {
        _host.Run();
        await _host.Api.CreateAsync(KindRegistry.Jobs, BatchTestHost.Ns, NewJob("pi", JobSpec(backoffLimit: 2, restartPolicy: "OnFailure")));
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 1);
        var pod = (await _host.ActivePodsAsync()).Single();

        await _host.SetRestartsAsync(pod, 1);
        await Task.Delay(200);
        Assert.Null(Condition(await JobAsync(), JobConditions.FailureTarget));
        await _host.SetRestartsAsync(pod, 2);

        await _host.WaitUntilAsync(async () => Condition(await JobAsync(), JobConditions.FailureTarget) == "True");
        Assert.Equal(JobConditions.ReasonBackoffLimitExceeded, JobConditions.Find(await JobAsync(), JobConditions.FailureTarget)!.GetString("reason"));
        await _host.FinishTerminatingAsync();
        await _host.WaitUntilAsync(async () => Condition(await JobAsync(), JobConditions.Failed) == "True");
    }

    [Fact]
    public async Task Sync_JobDeleted_TerminatingPodsLoseTheirFinalizer()
    {
        _host.Run();
        await _host.Api.CreateAsync(KindRegistry.Jobs, BatchTestHost.Ns, NewJob("pi", JobSpec()));
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 1);
        var pod = (await _host.ActivePodsAsync()).Single();

        await _host.Api.DeleteAsync(KindRegistry.Jobs, BatchTestHost.Ns, "pi");
        await _host.Api.DeleteAsync(KindRegistry.Pods, BatchTestHost.Ns, pod.GetName()!, new Berth.Registry.DeleteOptions(GracePeriodSeconds: 0));

        await _host.WaitUntilAsync(async () => !await _host.ExistsAsync(KindRegistry.Pods, pod.GetName()!), "the finalizer goes with the job");
    }
}
