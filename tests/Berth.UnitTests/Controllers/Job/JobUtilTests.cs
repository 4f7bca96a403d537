using System.Text.Json.Nodes;
using Berth.Controllers.Job;
using k8s.Models;

namespace Berth.UnitTests.Controllers.Job;

public sealed class JobUtilTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static V1Pod Finished(string phase, DateTimeOffset at) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", Uid = Guid.NewGuid().ToString() },
        Status = new V1PodStatus
        {
            Phase = phase,
            ContainerStatuses = [new V1ContainerStatus { Name = "c", State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { FinishedAt = at.UtcDateTime } } }],
        },
    };

    [Theory]
    [InlineData("", "")]
    [InlineData("0,2,3,4,7", "0,2-4,7")]
    [InlineData("1-3,5", "1-3,5")]
    [InlineData("0,1", "0-1")]
    [InlineData("2,9,x,4-", "2")]
    public void CompletedIndexes_ParseAndFormat_CompactsRuns(string text, string expected) =>
        Assert.Equal(expected, CompletedIndexes.Parse(text, completions: 8).ToString());

    [Fact]
    public void CompletedIndexes_With_AddsInOrderWithoutDuplicates()
    {
        var set = CompletedIndexes.Parse("1,3", 10).With([2, 3, 9]);
        Assert.Equal("1-3,9", set.ToString());
        Assert.Equal(4, set.Count);
        Assert.True(set.Contains(9));
    }

    [Fact]
    public void BackoffRecord_Failures_DoubleFromTenSecondsCappedAtSixMinutes()
    {
        var record = BackoffRecord.None.Next([], [Finished("Failed", Now)], Now);
        Assert.Equal(TimeSpan.FromSeconds(10), record.GetRemainingTime(Now));
        Assert.Equal(TimeSpan.FromSeconds(4), record.GetRemainingTime(Now.AddSeconds(6)));
        Assert.Equal(TimeSpan.Zero, record.GetRemainingTime(Now.AddSeconds(11)));

        var third = record.Next([], [Finished("Failed", Now), Finished("Failed", Now)], Now);
        Assert.Equal(3, third.FailuresAfterLastSuccess);
        Assert.Equal(TimeSpan.FromSeconds(40), third.GetRemainingTime(Now));
        Assert.Equal(TimeSpan.FromMinutes(6), new BackoffRecord(12, Now).GetRemainingTime(Now));
    }

    [Fact]
    public void BackoffRecord_Success_KeepsOnlyLaterFailures()
    {
        var record = new BackoffRecord(4, Now);
        Assert.Equal(BackoffRecord.None, record.Next([Finished("Succeeded", Now.AddSeconds(5))], [], Now));
        var after = record.Next([Finished("Succeeded", Now.AddSeconds(5))], [Finished("Failed", Now.AddSeconds(1)), Finished("Failed", Now.AddSeconds(7))], Now);
        Assert.Equal(new BackoffRecord(1, Now.AddSeconds(7)), after);
    }

    [Fact]
    public void IsPodFailed_TerminatingUnfinishedPod_CountsAsFailed()
    {
        var pod = new V1Pod { Metadata = new V1ObjectMeta { DeletionTimestamp = Now.UtcDateTime }, Status = new V1PodStatus { Phase = "Running" } };
        Assert.True(JobPods.IsPodFailed(pod));
        Assert.True(JobPods.IsTerminating(pod));
        pod.Status.Phase = "Succeeded";
        Assert.False(JobPods.IsPodFailed(pod));
        Assert.False(JobPods.IsTerminating(pod));
    }

    [Fact]
    public void IsPodFailed_OnlyReplaceFailed_TerminatingPodWaitsForFailedPhase()
    {
        var pod = new V1Pod { Metadata = new V1ObjectMeta { DeletionTimestamp = Now.UtcDateTime }, Status = new V1PodStatus { Phase = "Running" } };
        Assert.False(JobPods.IsPodFailed(pod, onlyReplaceFailed: true));
        pod.Status.Phase = "Failed";
        Assert.True(JobPods.IsPodFailed(pod, onlyReplaceFailed: true));

        Assert.True(JobPods.OnlyReplaceFailedPods(JsonNode.Parse("""{"spec":{"podReplacementPolicy":"Failed"}}""")!.AsObject()));
        Assert.True(JobPods.OnlyReplaceFailedPods(JsonNode.Parse("""{"spec":{"podFailurePolicy":{"rules":[]}}}""")!.AsObject()));
        Assert.False(JobPods.OnlyReplaceFailedPods(JsonNode.Parse("""{"spec":{"podReplacementPolicy":"TerminatingOrFailed"}}""")!.AsObject()));
    }

    [Fact]
    public void StatusWriteExpectations_CacheBehindOurWrite_NotSatisfiedUntilObserved()
    {
        var expectations = new StatusWriteExpectations();
        var key = new Berth.Machinery.Meta.ObjectKey("default", "pi");
        expectations.ExpectObserved(key, "12");

        Assert.False(expectations.Satisfied(key, "11"));
        expectations.Observed(key, "11");
        Assert.False(expectations.Satisfied(key, "11"));
        expectations.Observed(key, "14");
        Assert.True(expectations.Satisfied(key, "11"));
        Assert.True(expectations.Satisfied(new Berth.Machinery.Meta.ObjectKey("default", "other"), "1"));
    }
}
