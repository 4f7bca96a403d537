using Berth.Controllers.Scheduling;
using Berth.Machinery.Serialization;
using k8s.Models;
using static Berth.UnitTests.Controllers.Scheduling.SchedulingTestObjects;

namespace Berth.UnitTests.Controllers.Scheduling;

public sealed class ScheduleOneTests
{
    private static NodeInfo Info(V1Node node, params V1Pod[] pods)
    {
        var info = new NodeInfo(node);
        foreach (var pod in pods)
        {
            info.AddPod(pod);
        }
        return info;
    }

    [Fact]
    public void SchedulePod_NoNodes_NoNodesAvailable()
    {
        Assert.Equal("no nodes available to schedule pods", ScheduleOne.SchedulePod(Pod(), []).FailureMessage);
    }

    [Fact]
    public void SchedulePod_NothingFits_UpstreamHistogramAndPreemptionMessage()
    {
        var nodes = new[]
        {
            Info(Node("a", unschedulable: true)),
            Info(Node("b", cpu: "1")),
            Info(Node("c", cpu: "1")),
        };

        var result = ScheduleOne.SchedulePod(Pod(cpu: "2"), nodes);

        Assert.Null(result.NodeName);
        Assert.Equal("0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/3 nodes are available: " +
            "1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.", result.FailureMessage);
    }

    [Fact]
    public void SchedulePod_ReasonsSortedAsStrings_LikeGoSortStrings()
    {
        var nodes = Enumerable.Range(0, 10).Select(i => Info(Node($"big{i}", cpu: "1")))
            .Append(Info(Node("tainted", taints: [Taint("k", "v", "NoSchedule")]))).Append(Info(Node("t2", taints: [Taint("k", "v", "NoSchedule")]))).ToList();

        var message = ScheduleOne.SchedulePod(Pod(cpu: "2"), nodes).FailureMessage;

        Assert.Equal("0/12 nodes are available: 10 Insufficient cpu, 2 node(s) had untolerated taint {k: v}. preemption: 0/12 nodes are available: " +
            "10 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.", message);
    }

    [Fact]
    public void SchedulePod_PreemptionPolicyNever_NotEligibleMessage()
    {
        var pod = Pod(cpu: "8");
        pod.Spec.PreemptionPolicy = "Never";

        Assert.Equal("0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.",
            ScheduleOne.SchedulePod(pod, [Info(Node("a"))]).FailureMessage);
    }

    [Fact]
    public void SchedulePod_SeveralFit_LeastAllocatedWinsThenName()
    {
        var busy = Info(Node("a-busy"), Pod("x", cpu: "3", memory: "6Gi"));
        var idle1 = Info(Node("c-idle"));
        var idle2 = Info(Node("b-idle"));

        Assert.Equal("b-idle", ScheduleOne.SchedulePod(Pod(cpu: "100m"), [busy, idle1, idle2]).NodeName);
        Assert.Equal("a-busy", ScheduleOne.SchedulePod(Pod(cpu: "100m"), [busy]).NodeName);
    }

    [Fact]
    public void AddPod_InformerJson_SameRequestsAsModel()
    {
        var model = Pod("x", cpu: "1500m", memory: "3Gi");
        var fromModel = Info(Node("a"), model);
        var fromJson = new NodeInfo(Node("a"));

        fromJson.AddPod(ApiJson.FromModel(model));

        Assert.Equal((fromModel.Requested.MilliCpu, fromModel.Requested.Memory, fromModel.NonZeroRequested.MilliCpu, fromModel.PodCount),
            (fromJson.Requested.MilliCpu, fromJson.Requested.Memory, fromJson.NonZeroRequested.MilliCpu, fromJson.PodCount));
        Assert.Equal((1500L, 3L * 1024 * 1024 * 1024), (fromJson.Requested.MilliCpu, fromJson.Requested.Memory));
    }

    [Fact]
    public void LeastAllocated_Score_AveragesCpuAndMemoryFreeShare()
    {
        var node = Info(Node("n", cpu: "4", memory: "8Gi"), Pod("x", cpu: "1", memory: "2Gi"));

        Assert.Equal(50, LeastAllocated.Score(PodRequests.Compute(Pod(cpu: "1", memory: "2Gi"), nonZero: true), node));
        Assert.Equal(0, LeastAllocated.Score(PodRequests.Compute(Pod(cpu: "8", memory: "16Gi"), nonZero: true), node));
    }
}
