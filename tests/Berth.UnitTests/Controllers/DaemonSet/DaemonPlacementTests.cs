using System.Text.Json.Nodes;
using Berth.Controllers.DaemonSet;
using k8s.Models;

namespace Berth.UnitTests.Controllers.DaemonSet;

public sealed class DaemonPlacementTests
{
    private static V1Node Node(string name, IDictionary<string, string>? labels = null, params V1Taint[] taints) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels ?? new Dictionary<string, string>() },
        Spec = new V1NodeSpec { Taints = taints },
    };

    private static V1Taint Taint(string key, string effect, string? value = null) => new() { Key = key, Effect = effect, Value = value };

    private static DaemonPlacement Placement(Action<JsonObject>? shapePodSpec = null)
    {
        var ds = DaemonSetObjects.NewDaemonSet("agent");
        shapePodSpec?.Invoke(ds["spec"]!["template"]!["spec"]!.AsObject());
        return DaemonPlacement.For(ds);
    }

    [Fact]
    public void NodeShouldRunDaemonPod_PlainNode_RunsAndContinues() =>
        Assert.Equal((true, true), Placement().NodeShouldRunDaemonPod(Node("n1")));

    [Fact]
    public void NodeShouldRunDaemonPod_NodeSelectorMismatch_NeitherRunsNorContinues()
    {
        var placement = Placement(s => s["nodeSelector"] = new JsonObject { ["role"] = "edge" });

        Assert.Equal((false, false), placement.NodeShouldRunDaemonPod(Node("n1")));
        Assert.Equal((true, true), placement.NodeShouldRunDaemonPod(Node("n1", new Dictionary<string, string> { ["role"] = "edge" })));
    }

    [Fact]
    public void NodeShouldRunDaemonPod_RequiredNodeAffinity_Honoured()
    {
        var placement = Placement(s => s["affinity"] = JsonNode.Parse("""
            {"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
              {"matchFields":[{"key":"metadata.name","operator":"NotIn","values":["n1"]}]}]}}}
            """));

        Assert.Equal((false, false), placement.NodeShouldRunDaemonPod(Node("n1")));
        Assert.Equal((true, true), placement.NodeShouldRunDaemonPod(Node("n2")));
    }

    [Fact]
    public void NodeShouldRunDaemonPod_TemplateNodeName_OnlyThatNode()
    {
        var placement = Placement(s => s["nodeName"] = "n2");

        Assert.Equal((false, false), placement.NodeShouldRunDaemonPod(Node("n1")));
        Assert.Equal((true, true), placement.NodeShouldRunDaemonPod(Node("n2")));
    }

    [Fact]
    public void NodeShouldRunDaemonPod_UntoleratedNoSchedule_NoNewPodButExistingStays() =>
        Assert.Equal((false, true), Placement().NodeShouldRunDaemonPod(Node("n1", null, Taint("dedicated", "NoSchedule", "db"))));

    [Fact]
    public void NodeShouldRunDaemonPod_UntoleratedNoExecute_NeitherRunsNorContinues() =>
        Assert.Equal((false, false), Placement().NodeShouldRunDaemonPod(Node("n1", null, Taint("maintenance", "NoExecute"))));

    [Fact]
    public void NodeShouldRunDaemonPod_TemplateToleration_Honoured()
    {
        var placement = Placement(s => s["tolerations"] = new JsonArray(new JsonObject { ["operator"] = "Exists" }));

        Assert.Equal((true, true), placement.NodeShouldRunDaemonPod(Node("n1", null, Taint("maintenance", "NoExecute"))));
    }

    [Theory]
    [InlineData("node.kubernetes.io/not-ready", "NoExecute")]
    [InlineData("node.kubernetes.io/unreachable", "NoExecute")]
    [InlineData("node.kubernetes.io/unschedulable", "NoSchedule")]
    [InlineData("node.kubernetes.io/memory-pressure", "NoSchedule")]
    public void NodeShouldRunDaemonPod_DefaultDaemonTolerations_SickOrCordonedNodeStillRuns(string key, string effect) =>
        Assert.Equal((true, true), Placement().NodeShouldRunDaemonPod(Node("n1", null, Taint(key, effect))));

    [Fact]
    public void NodeShouldRunDaemonPod_NetworkUnavailable_OnlyHostNetworkTolerates()
    {
        var taint = Taint("node.kubernetes.io/network-unavailable", "NoSchedule");

        Assert.Equal((false, true), Placement().NodeShouldRunDaemonPod(Node("n1", null, taint)));
        Assert.Equal((true, true), Placement(s => s["hostNetwork"] = true).NodeShouldRunDaemonPod(Node("n1", null, taint)));
    }
}
