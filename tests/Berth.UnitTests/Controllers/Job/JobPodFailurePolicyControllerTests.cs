using System.Text.Json.Nodes;
using Berth.Controllers.Job;
using Berth.Registry;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using static Berth.UnitTests.Controllers.Job.BatchObjects;

namespace Berth.UnitTests.Controllers.Job;

public sealed class JobPodFailurePolicyControllerTests : IAsyncDisposable
{
    private readonly BatchTestHost _host = new();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private Task<JsonObject> JobAsync() => _host.GetAsync(KindRegistry.Jobs, "pi");

    private static string? Condition(JsonObject job, string type) => JobConditions.Find(job, type)?.GetString("status");

    private static JsonObject ExitCodeRule(string action, string op, params int[] values) => new()
    {
        ["action"] = action,
        ["onExitCodes"] = new JsonObject { ["operator"] = op, ["values"] = new JsonArray([.. values.Select(v => (JsonNode)v)]) },
    };

    private async Task StartAsync(JsonObject spec, params JsonObject[] rules)
    {
        spec["podFailurePolicy"] = new JsonObject { ["rules"] = new JsonArray(rules) };
        _host.Run();
        await _host.Api.CreateAsync(KindRegistry.Jobs, BatchTestHost.Ns, NewJob("pi", spec));
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == (int)spec.GetLong("parallelism")!);
    }

    [Fact]
    public async Task Sync_FailJobRuleMatches_FailsWithPodFailurePolicyAfterOtherPodsTerminate()
    {
        await StartAsync(JobSpec(completions: 2, parallelism: 2, backoffLimit: 6), ExitCodeRule(PodFailurePolicy.FailJob, "In", 42));
        var failing = (await _host.ActivePodsAsync())[0];
        await _host.FailPodAsync(failing, 42);

        await _host.WaitUntilAsync(async () => Condition(await JobAsync(), JobConditions.FailureTarget) == "True");
        var message = $"Container c for pod {BatchTestHost.Ns}/{failing.GetName()} failed with exit code 42 matching FailJob rule at index 0";
        var target = JobConditions.Find(await JobAsync(), JobConditions.FailureTarget)!;
        Assert.Equal((JobConditions.ReasonPodFailurePolicy, message), (target.GetString("reason"), target.GetString("message")));
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 0, "the other pod is deleted");
        Assert.Null(Condition(await JobAsync(), JobConditions.Failed));

        await _host.FinishTerminatingAsync();
        await _host.WaitUntilAsync(async () => Condition(await JobAsync(), JobConditions.Failed) == "True", "Failed once no pod is terminating");
        var failed = JobConditions.Find(await JobAsync(), JobConditions.Failed)!;
        Assert.Equal((JobConditions.ReasonPodFailurePolicy, message), (failed.GetString("reason"), failed.GetString("message")));
        Assert.Equal(2, (await JobAsync()).GetLong("status", "failed"));
        await _host.Events.WaitForAsync(e => e.Reason == JobConditions.ReasonPodFailurePolicy && e.Message == message);
    }

    [Fact]
    public async Task Sync_IgnoreRuleMatches_NotCountedAndReplaced()
    {
        await StartAsync(JobSpec(backoffLimit: 0), ExitCodeRule(PodFailurePolicy.Ignore, "In", 1));
        var first = (await _host.ActivePodsAsync()).Single();
        await _host.FailPodAsync(first, 1);

        await _host.WaitUntilAsync(async () => !HasFinalizer(await _host.GetAsync(KindRegistry.Pods, first.GetName()!)), "the ignored pod loses its finalizer");
        _host.FakeTime.Advance(TimeSpan.FromSeconds(10));
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 1, "a replacement", TimeSpan.FromMilliseconds(200));
        var job = await JobAsync();
        Assert.Null(job.GetLong("status", "failed"));
        Assert.Null(Condition(job, JobConditions.FailureTarget));

        await _host.FailPodAsync((await _host.ActivePodsAsync()).Single(), 2);
        await _host.WaitUntilAsync(async () => Condition(await JobAsync(), JobConditions.Failed) == "True", "exit 2 counts: backoffLimit 0 exceeded");
        Assert.Equal(JobConditions.ReasonBackoffLimitExceeded, JobConditions.Find(await JobAsync(), JobConditions.Failed)!.GetString("reason"));
        Assert.Equal(1, (await JobAsync()).GetLong("status", "failed"));
    }

    [Fact]
    public async Task Sync_CountRuleFirst_CountsTowardBackoffLimitInsteadOfFailJob()
    {
        await StartAsync(JobSpec(backoffLimit: 0), ExitCodeRule(PodFailurePolicy.Count, "NotIn", 5), ExitCodeRule(PodFailurePolicy.FailJob, "In", 42));
        await _host.FailPodAsync((await _host.ActivePodsAsync()).Single(), 42);

        await _host.WaitUntilAsync(async () => Condition(await JobAsync(), JobConditions.Failed) == "True");
        Assert.Equal(JobConditions.ReasonBackoffLimitExceeded, JobConditions.Find(await JobAsync(), JobConditions.Failed)!.GetString("reason"));
    }

    [Fact]
    public async Task Sync_DisruptionTargetIgnored_NotCounted()
    {
        var rule = new JsonObject
        {
            ["action"] = PodFailurePolicy.Ignore,
            ["onPodConditions"] = new JsonArray(new JsonObject { ["type"] = "DisruptionTarget", ["status"] = "True" }),
        };
        await StartAsync(JobSpec(backoffLimit: 0), rule);
        var disrupted = new JsonObject { ["type"] = "DisruptionTarget", ["status"] = "True", ["reason"] = "EvictionByEvictionAPI" };
        await _host.FailPodAsync((await _host.ActivePodsAsync()).Single(), 137, disrupted);

        _host.FakeTime.Advance(TimeSpan.FromSeconds(10));
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 1, "a replacement", TimeSpan.FromMilliseconds(200));
        Assert.Null((await JobAsync()).GetLong("status", "failed"));
        Assert.Null(Condition(await JobAsync(), JobConditions.FailureTarget));
    }

    [Fact]
    public async Task Sync_TerminatingPod_ReplacedOnlyOnceFailed()
    {
        await StartAsync(JobSpec(backoffLimit: 6), ExitCodeRule(PodFailurePolicy.FailJob, "In", 42));
        var pod = (await _host.ActivePodsAsync()).Single();
        await _host.Api.DeleteAsync(KindRegistry.Pods, BatchTestHost.Ns, pod.GetName()!, new DeleteOptions());

        await _host.WaitUntilAsync(async () => (await JobAsync()).GetLong("status", "terminating") == 1);
        _host.FakeTime.Advance(TimeSpan.FromSeconds(30));
        await Task.Delay(300);
        Assert.Empty(await _host.ActivePodsAsync());
        Assert.Null((await JobAsync()).GetLong("status", "failed"));

        await _host.FailPodAsync(pod, 137);
        await _host.WaitUntilAsync(async () => (await JobAsync()).GetLong("status", "failed") == 1, "counted once Failed");
        _host.FakeTime.Advance(TimeSpan.FromSeconds(10));
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 1, "then replaced", TimeSpan.FromMilliseconds(200));
    }

    private static bool HasFinalizer(JsonObject pod) =>
        (pod.GetArray("metadata", "finalizers") ?? []).Any(f => f?.GetValue<string>() == JobPods.JobTrackingFinalizer);
}
