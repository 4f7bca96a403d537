using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using Berth.Registry.Batch.CronJobs;
using Berth.Registry.Batch.Jobs;
using static Berth.UnitTests.Registry.Strategies.StrategyTestHelpers;

namespace Berth.UnitTests.Registry.Strategies;

public sealed class BatchStrategyTests
{
    private static JsonObject Job(string spec = "") =>
        Parse("""{"metadata":{"name":"pi","namespace":"default","uid":"u-1"},"spec":{""" + spec +
            """ "template":{"spec":{"restartPolicy":"Never","containers":[{"name":"pi","image":"perl:5.34"}]}}}}""");

    [Fact]
    public void Job_Create_GeneratesSelectorAndLabelsFromUid()
    {
        var job = Job();

        Assert.Empty(Create(new JobStrategy(), job));
        Assert.Equal("""{"matchLabels":{"batch.kubernetes.io/controller-uid":"u-1"}}""", job["spec"]!["selector"]!.ToJsonString());
        var labels = job.GetStringMap("spec", "template", "metadata", "labels");
        Assert.Equal("pi", labels["job-name"]);
        Assert.Equal("pi", labels["batch.kubernetes.io/job-name"]);
        Assert.Equal("u-1", labels["controller-uid"]);
        Assert.Equal("u-1", labels["batch.kubernetes.io/controller-uid"]);
        Assert.Equal("u-1", job.GetLabels()["controller-uid"]);
    }

    [Fact]
    public void Job_Defaults_MatchUpstream()
    {
        var job = Job();
        Create(new JobStrategy(), job);

        var spec = job.GetObject("spec")!;
        Assert.Equal(("1", "1", "6"), (spec["completions"]!.ToJsonString(), spec["parallelism"]!.ToJsonString(), spec["backoffLimit"]!.ToJsonString()));
        Assert.Equal("NonIndexed", spec.GetString("completionMode"));
        Assert.False(spec.GetBool("suspend"));
        Assert.Equal("TerminatingOrFailed", spec.GetString("podReplacementPolicy"));
        Assert.True(new JobStrategy().TracksGeneration);
    }

    [Fact]
    public void Job_OnlyCompletionsSet_ParallelismDefaultsToOne()
    {
        var job = Job("\"completions\":5,");
        Create(new JobStrategy(), job);

        Assert.Equal("5", job["spec"]!["completions"]!.ToJsonString());
        Assert.Equal("1", job["spec"]!["parallelism"]!.ToJsonString());
    }

    [Fact]
    public void Job_RestartPolicyAlways_NotSupported()
    {
        var job = Job();
        job.GetObject("spec", "template", "spec")!.Remove("restartPolicy");

        Assert.Contains("spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"", Create(new JobStrategy(), job));
    }

    [Fact]
    public void Job_ManualSelectorNotMatching_SelectorMismatch()
    {
        var job = Job("""
            "manualSelector":true,"selector":{"matchLabels":{"app":"x"}},
            """);

        Assert.Contains("spec.template.metadata.labels: Invalid value: map[string]string{}: `selector` does not match template `labels`", Create(new JobStrategy(), job));
    }

    [Fact]
    public void Job_UpdateCompletions_Immutable()
    {
        var strategy = new JobStrategy();
        var old = Job();
        Create(strategy, old);
        var updated = With(old, j => j.GetObject("spec")!["completions"] = 3);

        Assert.Contains("spec.completions: Invalid value: 3: field is immutable", Update(strategy, updated, old));
    }

    [Fact]
    public void Job_SelectableStatusSuccessful_CountAsText()
    {
        var job = Job();
        job["status"] = JsonNode.Parse("""{"succeeded":2}""");

        Assert.Equal("2", new JobStrategy().GetSelectableField(job, "status.successful"));
    }

    private static JsonObject CronJob(string name, string schedule) =>
        Parse("""{"metadata":{"name":""" + "\"" + name + "\"" + ""","namespace":"default"},"spec":{"schedule":""" + "\"" + schedule + "\"" +
            ""","jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"OnFailure","containers":[{"name":"c","image":"busybox"}]}}}}}}""");

    [Fact]
    public void CronJob_Defaults_MatchUpstream()
    {
        var cj = CronJob("hello", "*/1 * * * *");

        Assert.Empty(Create(new CronJobStrategy(), cj));
        var spec = cj.GetObject("spec")!;
        Assert.Equal("Allow", spec.GetString("concurrencyPolicy"));
        Assert.False(spec.GetBool("suspend"));
        Assert.Equal(("3", "1"), (spec["successfulJobsHistoryLimit"]!.ToJsonString(), spec["failedJobsHistoryLimit"]!.ToJsonString()));
        Assert.Equal("ClusterFirst", spec.GetString("jobTemplate", "spec", "template", "spec", "dnsPolicy"));
        Assert.Null(spec.GetPath("jobTemplate", "spec", "backoffLimit"));
    }

    [Theory]
    [InlineData("", "spec.schedule: Required value")]
    [InlineData("* * *", "spec.schedule: Invalid value: \"* * *\": expected exactly 5 fields, found 3: * * *")]
    [InlineData("70 * * * *", "spec.schedule: Invalid value: \"70 * * * *\": end of range (70) above maximum (59): 70")]
    [InlineData("CRON_TZ=UTC 0 * * * *", "spec.schedule: Invalid value: \"CRON_TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead")]
    public void CronJob_BadSchedule_Rejected(string schedule, string expected)
    {
        Assert.Contains(expected, Create(new CronJobStrategy(), CronJob("hello", schedule)));
    }

    [Theory]
    [InlineData("@hourly")]
    [InlineData("0 9-17/2 * JAN-MAR mon,fri")]
    [InlineData("*/15 * * * ?")]
    public void CronJob_ValidSchedules_Accepted(string schedule)
    {
        Assert.Empty(Create(new CronJobStrategy(), CronJob("hello", schedule)));
    }

    [Fact]
    public void CronJob_NameLongerThan52_Rejected()
    {
        var name = new string('a', 53);

        Assert.Contains($"metadata.name: Invalid value: \"{name}\": must be no more than 52 characters", Create(new CronJobStrategy(), CronJob(name, "@daily")));
    }
}
