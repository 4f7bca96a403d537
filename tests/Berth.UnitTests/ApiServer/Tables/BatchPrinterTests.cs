using Berth.Machinery.Kinds;
using static Berth.UnitTests.ApiServer.Tables.PrinterFixture;

namespace Berth.UnitTests.ApiServer.Tables;

/// <summary>Jobs and CronJobs.</summary>
public sealed class BatchPrinterTests
{
    private const string Template = """
        "selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"u1"}},
        "template":{"spec":{"containers":[{"name":"pi","image":"perl"}]}}
        """;

    private static string With(string json) => json.Replace("TEMPLATE", Template, StringComparison.Ordinal);

    [Fact]
    public void Job_Complete_PrintsCompletionsAndFixedDuration() =>
        Assert.Equal(["pi", "Complete", "1/1", "37s", "2m", "pi", "perl", "batch.kubernetes.io/controller-uid=u1"],
            Cells(KindRegistry.Jobs, With("""
                {"metadata":{"name":"pi","creationTimestamp":"ago:120"},"spec":{"completions":1,"parallelism":1,TEMPLATE},
                 "status":{"succeeded":1,"startTime":"ago:119","completionTime":"ago:82",
                           "conditions":[{"type":"SuccessCriteriaMet","status":"True"},{"type":"Complete","status":"True"}]}}
                """)));

    [Theory]
    [InlineData("""{"status":{"conditions":[{"type":"FailureTarget","status":"True"},{"type":"Failed","status":"True"}]}}""", "Failed")]
    [InlineData("""{"status":{"conditions":[{"type":"Suspended","status":"True"}]}}""", "Suspended")]
    [InlineData("""{"status":{"conditions":[{"type":"FailureTarget","status":"True"}]}}""", "FailureTarget")]
    [InlineData("""{"metadata":{"deletionTimestamp":"ago:1"},"status":{"conditions":[{"type":"Suspended","status":"True"}]}}""", "Terminating")]
    [InlineData("""{"metadata":{"deletionTimestamp":"ago:1"},"status":{"conditions":[{"type":"Complete","status":"True"}]}}""", "Complete")]
    [InlineData("""{"status":{"conditions":[{"type":"Suspended","status":"False"}]}}""", "Running")]
    [InlineData("""{}""", "Running")]
    public void Job_Status_FollowsConditionPrecedence(string json, string expected) =>
        Assert.Equal(expected, Cell(KindRegistry.Jobs, json, "Status"));

    [Theory]
    [InlineData("""{"spec":{"completions":5},"status":{"succeeded":2}}""", "2/5")]
    [InlineData("""{"spec":{"parallelism":3},"status":{"succeeded":1}}""", "1/1 of 3")]
    [InlineData("""{"spec":{"parallelism":1}}""", "0/1")]
    public void Job_Completions_MatchUpstreamForms(string json, string expected) =>
        Assert.Equal(expected, Cell(KindRegistry.Jobs, json, "Completions"));

    [Fact]
    public void Job_Duration_RunningCountsFromStartAndNotStartedIsEmpty()
    {
        Assert.Equal("5m10s", Cell(KindRegistry.Jobs, """{"status":{"startTime":"ago:310"}}""", "Duration"));
        Assert.Equal("", Cell(KindRegistry.Jobs, """{"status":{}}""", "Duration"));
    }

    [Fact]
    public void CronJob_PrintsScheduleSuspendActiveAndLastSchedule() =>
        Assert.Equal(["hello", "*/1 * * * *", "<none>", "False", 1L, "40s", "8h", "pi", "perl", "batch.kubernetes.io/controller-uid=u1"],
            Cells(KindRegistry.CronJobs, With("""
                {"metadata":{"name":"hello","creationTimestamp":"ago:28800"},
                 "spec":{"schedule":"*/1 * * * *","suspend":false,"jobTemplate":{"spec":{TEMPLATE}}},
                 "status":{"active":[{"kind":"Job","name":"hello-1"}],"lastScheduleTime":"ago:40"}}
                """)));

    [Fact]
    public void CronJob_NeverScheduledWithTimeZone()
    {
        var cells = Cells(KindRegistry.CronJobs, """{"metadata":{"name":"c"},"spec":{"schedule":"@daily","timeZone":"Etc/UTC","suspend":true}}""");
        Assert.Equal(["c", "@daily", "Etc/UTC", "True", 0L, "<none>"], cells.Take(6));
    }
}
