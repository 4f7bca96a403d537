using System.Text.Json.Nodes;

namespace Berth.E2ETests.Workloads;

/// <summary>
/// CronJobs end to end with the real kubectl: created, listed and suspended. Start times are covered by the unit tests
/// on a fake clock (a real one would cost up to a minute); <c>kubectl create job --from=cronjob</c> (a protobuf body)
/// runs one now.
/// </summary>
[Trait("Category", "E2E")]
public sealed class CronJobTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Kubectl K => fixture.Kubectl;

    [Fact]
    public async Task CronJob_CreateGetSuspend_ColumnsAsOnACluster()
    {
        var ns = await fixture.NewNamespaceAsync("cron");
        Assert.Contains("cronjob.batch/tick created", await K.OkAsync("apply -f -", JobManifests.CronJob(ns, "tick", "*/1 * * * *")), StringComparison.Ordinal);

        var table = await K.OkAsync($"get cronjobs -n {ns}");
        Assert.Matches(@"NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE", table);
        Assert.Matches(@"tick\s+\*/1 \* \* \* \*\s+<none>\s+False\s+0\s+<none>\s+\d+s", table);

        await K.OkAsync($"patch cronjob tick -n {ns} --type=merge -p '{{\"spec\":{{\"suspend\":true}}}}'");
        Assert.Matches(@"tick\s+\*/1 \* \* \* \*\s+<none>\s+True\s+0", await K.OkAsync($"get cj -n {ns}"));
    }

    [Fact]
    public async Task CreateJobFromCronJob_RunsTheTemplateNow()
    {
        var ns = await fixture.NewNamespaceAsync("cronnow");
        await K.OkAsync("apply -f -", JobManifests.CronJob(ns, "tick", "@hourly"));

        Assert.Contains("job.batch/manual created", await K.OkAsync($"create job manual --from=cronjob/tick -n {ns}"), StringComparison.Ordinal);

        var w = await K.RunAsync($"wait --for=condition=complete job/manual -n {ns} --timeout=30s", timeout: TimeSpan.FromSeconds(35));
        Assert.True(w.ExitCode == 0, w.ToString());
        var job = JsonNode.Parse(await K.OkAsync($"get job manual -n {ns} -o json"))!;
        Assert.Equal("manual", (string?)job["metadata"]!["annotations"]!["cronjob.kubernetes.io/instantiate"]);
        Assert.Equal("CronJob", (string?)job["metadata"]!["ownerReferences"]![0]!["kind"]);
    }
}
