using Berth.Controllers.Scheduling;
using k8s.Models;
using static Berth.UnitTests.Controllers.Scheduling.SchedulingTestObjects;

namespace Berth.UnitTests.Controllers.Scheduling;

public sealed class FilterPluginsTests
{
    private static FilterStatus? Filter(V1Pod pod, V1Node node, params V1Pod[] existing)
    {
        var info = new NodeInfo(node);
        foreach (var p in existing)
        {
            info.AddPod(p);
        }
        return FilterPlugins.RunFilters(pod, PodRequests.Compute(pod), info);
    }

    [Fact]
    public void NodeUnschedulable_CordonedNode_RejectedUnlessTolerated()
    {
        var node = Node("n", unschedulable: true);
        var tolerant = Pod();
        tolerant.Spec.Tolerations = [new V1Toleration { Key = "node.kubernetes.io/unschedulable", OperatorProperty = "Exists", Effect = "NoSchedule" }];

        var status = Filter(Pod(), node);

        Assert.Equal(FilterCode.UnschedulableAndUnresolvable, status!.Code);
        Assert.Equal(["node(s) were unschedulable"], status.Reasons);
        Assert.Null(Filter(tolerant, node));
    }

    [Fact]
    public void TaintToleration_UntoleratedNoScheduleOrNoExecute_RejectedWithTaintInMessage()
    {
        var node = Node("n", taints: [Taint("soft", "x", "PreferNoSchedule"), Taint("dedicated", "gpu", "NoSchedule"), Taint("evict", "", "NoExecute")]);
        var tolerantOfOne = Pod();
        tolerantOfOne.Spec.Tolerations = [new V1Toleration { Key = "dedicated", Value = "gpu", Effect = "NoSchedule" }];
        var tolerantOfAll = Pod();
        tolerantOfAll.Spec.Tolerations = [new V1Toleration { OperatorProperty = "Exists" }];

        Assert.Equal(["node(s) had untolerated taint {dedicated: gpu}"], Filter(Pod(), node)!.Reasons);
        Assert.Equal(["node(s) had untolerated taint {evict: }"], Filter(tolerantOfOne, node)!.Reasons);
        Assert.Null(Filter(tolerantOfAll, node));
    }

    [Theory]
    [InlineData(false, "Equal", "gpu", "NoSchedule", true)]
    [InlineData(false, "Equal", "cpu", "NoSchedule", false)]
    [InlineData(false, "Exists", null, "", true)]
    [InlineData(false, "Exists", null, "NoExecute", false)]
    [InlineData(true, "Exists", null, null, true)]
    [InlineData(true, "Equal", "cpu", null, false)]
    public void ToleratesTaint_Combinations_MatchUpstream(bool emptyKey, string op, string? value, string? effect, bool expected)
    {
        var toleration = new V1Toleration { Key = emptyKey ? null : "dedicated", OperatorProperty = op, Value = value, Effect = effect };

        Assert.Equal(expected, Tolerations.ToleratesTaint(toleration, Taint("dedicated", "gpu", "NoSchedule")));
    }

    [Fact]
    public void NodeAffinity_NodeSelectorMismatch_Rejected()
    {
        var pod = Pod();
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["disk"] = "ssd" };

        Assert.Equal(["node(s) didn't match Pod's node affinity/selector"], Filter(pod, Node("n"))!.Reasons);
        Assert.Null(Filter(pod, Node("n", labels: new Dictionary<string, string> { ["disk"] = "ssd" })));
    }

    [Theory]
    [InlineData("zone", "In", "a,b", true)]
    [InlineData("zone", "NotIn", "a", false)]
    [InlineData("missing", "NotIn", "a", true)]
    [InlineData("zone", "Exists", "", true)]
    [InlineData("zone", "DoesNotExist", "", false)]
    [InlineData("cores", "Gt", "8", true)]
    [InlineData("cores", "Lt", "8", false)]
    [InlineData("zone", "Gt", "1", false)]
    public void NodeAffinity_RequiredExpressions_MatchUpstreamOperators(string key, string op, string values, bool fits)
    {
        var pod = Pod();
        pod.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms = [new V1NodeSelectorTerm
                    {
                        MatchExpressions = [new V1NodeSelectorRequirement { Key = key, OperatorProperty = op, Values = values.Length == 0 ? null : values.Split(',') }],
                    }],
                },
            },
        };
        var node = Node("n", labels: new Dictionary<string, string> { ["zone"] = "a", ["cores"] = "16" });

        Assert.Equal(fits, Filter(pod, node) is null);
    }

    [Fact]
    public void NodeAffinity_TermsOredAndMatchFieldsByName_EmptyTermMatchesNothing()
    {
        var pod = Pod();
        pod.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms =
                    [
                        new V1NodeSelectorTerm(),
                        new V1NodeSelectorTerm { MatchFields = [new V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = "In", Values = ["b"] }] },
                    ],
                },
            },
        };

        Assert.NotNull(Filter(pod, Node("a")));
        Assert.Null(Filter(pod, Node("b")));
    }

    private static V1Pod WithHostPort(int hostPort, string? hostIP = null, string protocol = "TCP")
    {
        var pod = Pod();
        pod.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 8080, HostPort = hostPort, HostIP = hostIP, Protocol = protocol }];
        return pod;
    }

    [Fact]
    public void NodePorts_SamePortAndProtocol_RejectedWithUpstreamsReason()
    {
        var status = Filter(WithHostPort(8080), Node("n"), WithHostPort(8080));

        Assert.Equal(FilterCode.Unschedulable, status!.Code);
        Assert.Equal(["node(s) didn't have free ports for the requested pod ports"], status.Reasons);
    }

    [Fact]
    public void NodePorts_OtherProtocolOtherAddressOrNoHostPort_Fit()
    {
        Assert.Null(Filter(WithHostPort(8080, protocol: "UDP"), Node("n"), WithHostPort(8080)));
        Assert.Null(Filter(WithHostPort(8080, hostIP: "127.0.0.2"), Node("n"), WithHostPort(8080, hostIP: "127.0.0.3")));
        Assert.Null(Filter(Pod(), Node("n"), WithHostPort(8080)));
        Assert.NotNull(Filter(WithHostPort(8080, hostIP: "127.0.0.2"), Node("n"), WithHostPort(8080)));
    }

    [Fact]
    public void NodeResourcesFit_NotEnoughLeft_ListsEveryInsufficientResource()
    {
        var node = Node("n", cpu: "2", memory: "1Gi", extra: new Dictionary<string, string> { ["example.com/gpu"] = "1" });
        var pod = Pod(cpu: "1500m", memory: "600Mi");
        pod.Spec.Containers[0].Resources.Requests["example.com/gpu"] = new ResourceQuantity("2");

        var status = Filter(pod, node, Pod("old", cpu: "1", memory: "512Mi"));

        Assert.Equal(FilterCode.Unschedulable, status!.Code);
        Assert.Equal(["Insufficient cpu", "Insufficient memory", "Insufficient example.com/gpu"], status.Reasons);
    }

    [Fact]
    public void NodeResourcesFit_PodCountAtCapacity_TooManyPods()
    {
        Assert.Equal(["Too many pods"], Filter(Pod(), Node("n", pods: "1"), Pod("old"))!.Reasons);
    }

    [Fact]
    public void PodRequests_InitAndSidecarContainers_MaxOfInitStepsAndSumWithOverhead()
    {
        var pod = Pod(cpu: "100m", memory: "100Mi");
        pod.Spec.InitContainers =
        [
            new V1Container { Name = "sidecar", RestartPolicy = "Always", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("200m") } } },
            new V1Container { Name = "migrate", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("50Mi") } } },
        ];
        pod.Spec.Overhead = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("10m") };

        var requests = PodRequests.Compute(pod);
        var nonZero = PodRequests.Compute(pod, nonZero: true);

        Assert.Equal(1210, requests.MilliCpu);
        Assert.Equal(100L * 1024 * 1024, requests.Memory);
        Assert.Equal(300L * 1024 * 1024, nonZero.Memory);
    }
}
