using Berth.Controllers.ReplicaSet;
using Berth.Controllers.Util;
using Berth.Machinery.Meta;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Controllers.ReplicaSet;

public sealed class ControllerUtilTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);
    private static readonly ObjectKey Rs = new("default", "web");

    [Fact]
    public void Expectations_CreatesObserved_Satisfied()
    {
        var expectations = new ControllerExpectations(new FakeTimeProvider(Now));
        Assert.True(expectations.SatisfiedExpectations(Rs));
        expectations.ExpectCreations(Rs, 2);
        Assert.False(expectations.SatisfiedExpectations(Rs));
        expectations.CreationObserved(Rs);
        Assert.False(expectations.SatisfiedExpectations(Rs));
        expectations.CreationObserved(Rs);
        Assert.True(expectations.SatisfiedExpectations(Rs));
    }

    [Fact]
    public void Expectations_DeletionObservedTwiceForOnePod_CountsOnce()
    {
        var expectations = new ControllerExpectations(new FakeTimeProvider(Now));
        expectations.ExpectDeletions(Rs, [new ObjectKey("default", "a"), new ObjectKey("default", "b")]);
        expectations.DeletionObserved(Rs, new ObjectKey("default", "a"));
        expectations.DeletionObserved(Rs, new ObjectKey("default", "a"));
        Assert.False(expectations.SatisfiedExpectations(Rs));
        expectations.DeletionObserved(Rs, new ObjectKey("default", "b"));
        Assert.True(expectations.SatisfiedExpectations(Rs));
    }

    [Fact]
    public void Expectations_OlderThanFiveMinutes_Satisfied()
    {
        var time = new FakeTimeProvider(Now);
        var expectations = new ControllerExpectations(time);
        expectations.ExpectCreations(Rs, 3);
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.False(expectations.SatisfiedExpectations(Rs));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(expectations.SatisfiedExpectations(Rs));
    }

    [Fact]
    public async Task SlowStart_FailureInThirdBatch_StopsAfterIt()
    {
        var calls = 0;
        var (successes, error) = await SlowStart.BatchAsync(20, 1, () =>
        {
            var n = Interlocked.Increment(ref calls);
            return n == 5 ? Task.FromException(new InvalidOperationException("quota")) : Task.CompletedTask;
        });
        Assert.Equal(7, calls);
        Assert.Equal(6, successes);
        Assert.Equal("quota", error?.Message);
    }

    [Fact]
    public async Task SlowStart_AllSucceed_BatchesDoubleUpToCount()
    {
        var calls = 0;
        var (successes, error) = await SlowStart.BatchAsync(10, 1, () =>
        {
            Interlocked.Increment(ref calls);
            return Task.CompletedTask;
        });
        Assert.Equal((10, 10), (calls, successes));
        Assert.Null(error);
    }

    private static V1Pod Pod(string name, string? node, string phase, bool ready, int readyAgoSeconds = 60, int restarts = 0, int createdAgoSeconds = 100,
        string? cost = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name, CreationTimestamp = Now.UtcDateTime.AddSeconds(-createdAgoSeconds),
            Annotations = cost is null ? null : new Dictionary<string, string> { [ActivePodsWithRanks.PodDeletionCost] = cost },
        },
        Spec = new V1PodSpec { NodeName = node },
        Status = new V1PodStatus
        {
            Phase = phase,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = Now.UtcDateTime.AddSeconds(-readyAgoSeconds) }],
            ContainerStatuses = [new V1ContainerStatus { Name = "c", RestartCount = restarts }],
        },
    };

    [Fact]
    public void GetPodsToDelete_UpstreamRankOrder()
    {
        var pods = new[]
        {
            Pod("old-ready", "n1", "Running", true, readyAgoSeconds: 600, createdAgoSeconds: 700),
            Pod("young-ready", "n1", "Running", true, readyAgoSeconds: 10),
            Pod("restarts", "n1", "Running", true, readyAgoSeconds: 600, restarts: 3, createdAgoSeconds: 700),
            Pod("not-ready", "n1", "Running", false),
            Pod("unknown", "n1", "Unknown", false),
            Pod("pending", "n1", "Pending", false),
            Pod("unassigned", null, "Pending", false),
            Pod("cheap", "n1", "Running", true, readyAgoSeconds: 600, createdAgoSeconds: 700, cost: "-5"),
        };
        var order = ReplicaSetController.GetPodsToDelete(pods, pods.Length, Now).Select(p => p.Metadata.Name);
        Assert.Equal(["unassigned", "pending", "unknown", "not-ready", "cheap", "young-ready", "restarts", "old-ready"], order);
    }

    [Fact]
    public void GetPodsToDelete_DoubledUpNode_GoesFirstAmongEquals()
    {
        var pods = new[] { Pod("alone", "n1", "Running", true), Pod("crowded-1", "n2", "Running", true), Pod("crowded-2", "n2", "Running", true) };
        var victims = ReplicaSetController.GetPodsToDelete(pods, 1, Now);
        Assert.StartsWith("crowded", victims.Single().Metadata.Name, StringComparison.Ordinal);
    }

    [Fact]
    public void IsPodAvailable_MinReadySeconds_StrictlyLonger()
    {
        var pod = Pod("p", "n1", "Running", true, readyAgoSeconds: 10);
        Assert.True(PodUtil.IsPodAvailable(pod, 0, Now));
        Assert.True(PodUtil.IsPodAvailable(pod, 9, Now));
        Assert.False(PodUtil.IsPodAvailable(pod, 10, Now));
    }
}
