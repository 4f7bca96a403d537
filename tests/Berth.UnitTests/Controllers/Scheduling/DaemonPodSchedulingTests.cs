using Berth.Controllers.Scheduling;
using k8s.Models;
using static Berth.UnitTests.Controllers.Scheduling.SchedulingTestObjects;

namespace Berth.UnitTests.Controllers.Scheduling;

/// <summary>
/// Daemon pods are created unbound with a required node affinity <c>matchFields metadata.name In [node]</c> and the
/// default DaemonSet tolerations; the scheduler must place them on exactly that node, cordoned or not.
/// </summary>
public sealed class DaemonPodSchedulingTests
{
    private static V1Pod DaemonPod(string node)
    {
        var pod = Pod("daemon");
        pod.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms =
                    [
                        new V1NodeSelectorTerm { MatchFields = [new V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = "In", Values = [node] }] },
                    ],
                },
            },
        };
        pod.Spec.Tolerations = [new V1Toleration { Key = "node.kubernetes.io/unschedulable", OperatorProperty = "Exists", Effect = "NoSchedule" }];
        return pod;
    }

    [Fact]
    public void SchedulePod_DaemonPodPinnedByMatchFields_OnlyItsNode()
    {
        var nodes = new[] { new NodeInfo(Node("a")), new NodeInfo(Node("b")), new NodeInfo(Node("c")) };

        Assert.Equal("b", ScheduleOne.SchedulePod(DaemonPod("b"), nodes).NodeName);
        Assert.Equal("c", ScheduleOne.SchedulePod(DaemonPod("c"), nodes).NodeName);
    }

    [Fact]
    public void SchedulePod_DaemonPodForCordonedNode_ToleratesCordon()
    {
        var cordoned = Node("b", unschedulable: true, taints: [Taint("node.kubernetes.io/unschedulable", "", "NoSchedule")]);

        Assert.Equal("b", ScheduleOne.SchedulePod(DaemonPod("b"), [new NodeInfo(Node("a")), new NodeInfo(cordoned)]).NodeName);
    }

    [Fact]
    public void SchedulePod_DaemonPodForMissingNode_Unschedulable()
    {
        var result = ScheduleOne.SchedulePod(DaemonPod("gone"), [new NodeInfo(Node("a"))]);

        Assert.Null(result.NodeName);
        Assert.Contains("didn't match Pod's node affinity/selector", result.FailureMessage, StringComparison.Ordinal);
    }
}
