using System.Text.Json.Nodes;

namespace Berth.E2ETests.Workloads;

/// <summary>
/// Issue 5 end to end: Jobs run to completion, hit their backoff limit or deadline, and are cleaned up after their
/// TTL, with the real kubectl and pods running as processes under the in-process node agent.
/// </summary>
[Trait("Category", "E2E")]
public sealed class JobTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Kubectl K => fixture.Kubectl;

    private async Task<JsonNode> JobAsync(string ns, string name) => JsonNode.Parse(await K.OkAsync($"get job {name} -n {ns} -o json"))!;

    private static string? ConditionReason(JsonNode job, string type) =>
        job["status"]?["conditions"]?.AsArray().FirstOrDefault(c => (string?)c!["type"] == type)?["reason"]?.GetValue<string>();

    private async Task WaitForAsync(string ns, string name, string condition, int seconds)
    {
        var r = await K.RunAsync($"wait --for=condition={condition} job/{name} -n {ns} --timeout={seconds}s", timeout: TimeSpan.FromSeconds(seconds + 5));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains($"job.batch/{name} condition met", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_ThreeCompletionsParallelismTwo_RunsToComplete()
    {
        var ns = await fixture.NewNamespaceAsync("job");
        await K.OkAsync("apply -f -", JobManifests.Job(ns, "count", "echo done; sleep 0.5", completions: 3, parallelism: 2));

        await WaitForAsync(ns, "count", "complete", 30);

        var table = await K.OkAsync($"get jobs -n {ns}");
        Assert.Matches(@"NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE", table);
        Assert.Matches(@"count\s+Complete\s+3/3\s+\d+s\s+\d+s", table);
        var job = await JobAsync(ns, "count");
        Assert.Equal(3, (int?)job["status"]!["succeeded"]);
        Assert.NotNull(job["status"]!["completionTime"]);
        var pods = JsonNode.Parse(await K.OkAsync($"get pods -n {ns} -l batch.kubernetes.io/job-name=count -o json"))!["items"]!.AsArray();
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p => Assert.Equal("Succeeded", (string?)p!["status"]!["phase"]));
        Assert.All(pods, p => Assert.Null(p!["metadata"]!["finalizers"]));
        Assert.Contains("done", await K.OkAsync($"logs job/count -n {ns}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_PodsExitOne_FailsWithBackoffLimitExceeded()
    {
        var ns = await fixture.NewNamespaceAsync("jobfail");
        await K.OkAsync("apply -f -", JobManifests.Job(ns, "broken", "exit 1", backoffLimit: 1));

        await WaitForAsync(ns, "broken", "failed", 40);

        var job = await JobAsync(ns, "broken");
        Assert.Equal("BackoffLimitExceeded", ConditionReason(job, "Failed"));
        Assert.Equal(2, (int?)job["status"]!["failed"]);
        Assert.Matches(@"broken\s+Failed\s+0/1", await K.OkAsync($"get jobs -n {ns}"));
        Assert.Contains("Job has reached the specified backoff limit", await K.OkAsync($"describe job broken -n {ns}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_ActiveDeadline_FailsWithDeadlineExceededAndStopsItsPod()
    {
        var ns = await fixture.NewNamespaceAsync("jobdead");
        await K.OkAsync("apply -f -", JobManifests.Job(ns, "slow", "trap 'exit 0' TERM; while true; do sleep 0.1; done", extraSpec: "activeDeadlineSeconds: 2"));

        await WaitForAsync(ns, "slow", "failed", 30);

        Assert.Equal("DeadlineExceeded", ConditionReason(await JobAsync(ns, "slow"), "Failed"));
        await AsyncTestHelpers.WaitUntilAsync(async () =>
            JsonNode.Parse(await K.OkAsync($"get pods -n {ns} -o json"))!["items"]!.AsArray().All(p => (string?)p!["status"]!["phase"] is "Succeeded" or "Failed"),
            because: "the deadline stops the running pod");
    }

    [Fact]
    public async Task Job_PodFailurePolicyFailJobOnExit42_FailsAtTheFirstFailure()
    {
        var ns = await fixture.NewNamespaceAsync("jobpfp");
        await K.OkAsync("apply -f -", JobManifests.Job(ns, "fatal", "exit 42",
            extraSpec: "podFailurePolicy: {rules: [{action: FailJob, onExitCodes: {containerName: work, operator: In, values: [42]}}]}"));

        await WaitForAsync(ns, "fatal", "failed", 30);

        var job = await JobAsync(ns, "fatal");
        var pod = JsonNode.Parse(await K.OkAsync($"get pods -n {ns} -o json"))!["items"]!.AsArray().Single()!["metadata"]!["name"]!.GetValue<string>();
        Assert.Equal("PodFailurePolicy", ConditionReason(job, "Failed"));
        Assert.Equal("PodFailurePolicy", ConditionReason(job, "FailureTarget"));
        Assert.Equal(1, (int?)job["status"]!["failed"]);
        Assert.Contains($"Container work for pod {ns}/{pod} failed with exit code 42 matching FailJob rule at index 0",
            await K.OkAsync($"describe job fatal -n {ns}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_PodFailurePolicyIgnoresExit1_NotCountedAndReplaced()
    {
        var ns = await fixture.NewNamespaceAsync("jobign");
        await K.OkAsync("apply -f -", JobManifests.Job(ns, "flaky", "exit 1", backoffLimit: 0,
            extraSpec: "podFailurePolicy: {rules: [{action: Ignore, onExitCodes: {operator: In, values: [1]}}]}"));

        // backoffLimit 0 would fail the Job at the first counted failure; the ignored ones are replaced (after the 10 s backoff).
        await AsyncTestHelpers.WaitUntilAsync(async () =>
            JsonNode.Parse(await K.OkAsync($"get pods -n {ns} -o json"))!["items"]!.AsArray().Count(p => (string?)p!["status"]!["phase"] == "Failed") >= 2,
            TimeSpan.FromSeconds(40), "a failed pod and its failed replacement");
        var job = await JobAsync(ns, "flaky");
        Assert.Null(job["status"]!["failed"]);
        Assert.Null(ConditionReason(job, "FailureTarget"));
        Assert.Null(ConditionReason(job, "Failed"));
        await K.OkAsync($"delete job flaky -n {ns} --wait=false");
    }

    [Fact]
    public async Task Job_SuccessPolicyOnIndexZero_CompletesWithoutTheOtherIndexes()
    {
        var ns = await fixture.NewNamespaceAsync("jobsp");
        await K.OkAsync("apply -f -", JobManifests.Job(ns, "leader", "if [ $JOB_COMPLETION_INDEX = 0 ]; then exit 0; fi; sleep 60", completions: 3, parallelism: 3,
            extraSpec: "completionMode: Indexed\n  successPolicy: {rules: [{succeededIndexes: '0'}]}"));

        await WaitForAsync(ns, "leader", "complete", 30);

        var job = await JobAsync(ns, "leader");
        Assert.Equal("SuccessPolicy", ConditionReason(job, "SuccessCriteriaMet"));
        Assert.Equal("SuccessPolicy", ConditionReason(job, "Complete"));
        Assert.Equal("0", (string?)job["status"]!["completedIndexes"]);
    }

    [Fact]
    public async Task Job_TtlSecondsAfterFinished_RemovesTheFinishedJobAndPods()
    {
        var ns = await fixture.NewNamespaceAsync("jobttl");
        await K.OkAsync("apply -f -", JobManifests.Job(ns, "brief", "true", extraSpec: "ttlSecondsAfterFinished: 1"));

        await AsyncTestHelpers.WaitUntilAsync(async () => (await K.RunAsync($"get job brief -n {ns}")).Stderr.Contains("NotFound", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the TTL controller deletes the job");
        await AsyncTestHelpers.WaitUntilAsync(async () => JsonNode.Parse(await K.OkAsync($"get pods -n {ns} -o json"))!["items"]!.AsArray().Count == 0,
            because: "its pods go with it");
    }
}
