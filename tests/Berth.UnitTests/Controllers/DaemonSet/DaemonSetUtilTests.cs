using System.Text.Json.Nodes;
using Berth.Controllers.DaemonSet;
using k8s.Models;

namespace Berth.UnitTests.Controllers.DaemonSet;

public sealed class DaemonSetUtilTests
{
    private static JsonObject Ds(JsonObject? strategy = null) => new()
    {
        ["spec"] = new JsonObject { ["updateStrategy"] = strategy ?? DaemonSetObjects.RollingUpdate(0, 1) },
    };

    [Fact]
    public void CreatePodTemplate_AddsDefaultTolerationsAndHashWithoutTouchingInput()
    {
        var template = new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "a" } },
            ["spec"] = new JsonObject { ["hostNetwork"] = true },
        };

        var result = DaemonSetUtil.CreatePodTemplate(template, "abc12");

        Assert.Null(template["spec"]!["tolerations"]);
        Assert.Equal("abc12", result["metadata"]!["labels"]![DaemonSetUtil.ControllerRevisionHashLabel]!.GetValue<string>());
        var tolerations = result["spec"]!["tolerations"]!.AsArray().Select(t => $"{t!["key"]}:{t["operator"]}:{t["effect"]}").ToList();
        Assert.Equal(
        [
            "node.kubernetes.io/not-ready:Exists:NoExecute", "node.kubernetes.io/unreachable:Exists:NoExecute",
            "node.kubernetes.io/disk-pressure:Exists:NoSchedule", "node.kubernetes.io/memory-pressure:Exists:NoSchedule",
            "node.kubernetes.io/pid-pressure:Exists:NoSchedule", "node.kubernetes.io/unschedulable:Exists:NoSchedule",
            "node.kubernetes.io/network-unavailable:Exists:NoSchedule",
        ], tolerations);
    }

    [Fact]
    public void AddOrUpdateTolerationInPodSpec_SameTolerationWithOtherSeconds_ReplacedInPlace()
    {
        var spec = new JsonObject
        {
            ["tolerations"] = new JsonArray(
                new JsonObject { ["key"] = "x", ["operator"] = "Exists" },
                new JsonObject { ["key"] = "node.kubernetes.io/not-ready", ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = 30 }),
        };

        DaemonSetUtil.AddOrUpdateDaemonPodTolerations(spec);

        var tolerations = spec["tolerations"]!.AsArray();
        Assert.Equal("x", tolerations[0]!["key"]!.GetValue<string>());
        Assert.Equal("node.kubernetes.io/not-ready", tolerations[1]!["key"]!.GetValue<string>());
        Assert.Null(tolerations[1]!["tolerationSeconds"]);
        Assert.Equal(7, tolerations.Count);
        Assert.False(DaemonSetUtil.AddOrUpdateTolerationInPodSpec(spec, tolerations[2]!.DeepClone().AsObject()));
    }

    [Fact]
    public void ReplaceDaemonSetPodNodeNameNodeAffinity_ExistingTerms_ReplacedPreferredKept()
    {
        var spec = JsonNode.Parse("""
            {"affinity":{"nodeAffinity":{
              "requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"zone","operator":"In","values":["a"]}]}]},
              "preferredDuringSchedulingIgnoredDuringExecution":[{"weight":1,"preference":{"matchExpressions":[{"key":"ssd","operator":"Exists"}]}}]}}}
            """)!.AsObject();

        DaemonSetUtil.ReplaceDaemonSetPodNodeNameNodeAffinity(spec, "n7");

        var affinity = spec["affinity"]!["nodeAffinity"]!;
        Assert.Equal("""{"nodeSelectorTerms":[{"matchFields":[{"key":"metadata.name","operator":"In","values":["n7"]}]}]}""",
            affinity["requiredDuringSchedulingIgnoredDuringExecution"]!.ToJsonString());
        Assert.NotNull(affinity["preferredDuringSchedulingIgnoredDuringExecution"]);
    }

    [Fact]
    public void GetTargetNodeName_BoundOrAffinityOrNeither()
    {
        var affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms =
                    [
                        new V1NodeSelectorTerm { MatchFields = [new V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = "In", Values = ["n2"] }] },
                    ],
                },
            },
        };

        Assert.Equal("n1", DaemonSetUtil.GetTargetNodeName(new V1Pod { Metadata = new(), Spec = new V1PodSpec { NodeName = "n1", Affinity = affinity } }));
        Assert.Equal("n2", DaemonSetUtil.GetTargetNodeName(new V1Pod { Metadata = new(), Spec = new V1PodSpec { Affinity = affinity } }));
        Assert.Null(DaemonSetUtil.GetTargetNodeName(new V1Pod { Metadata = new(), Spec = new V1PodSpec() }));
    }

    [Theory]
    [InlineData(1, 0, 10, 0, 1)]
    [InlineData("10%", 0, 15, 0, 2)]
    [InlineData(0, "10%", 15, 2, 0)]
    [InlineData("100%", 0, 3, 0, 3)]
    public void SurgeAndUnavailableCount_PercentagesRoundUp(object maxUnavailable, object maxSurge, int nodes, int surge, int unavailable)
    {
        var ds = Ds(DaemonSetObjects.RollingUpdate(maxSurge, maxUnavailable));

        Assert.Equal(surge, DaemonSetUtil.SurgeCount(ds, nodes));
        Assert.Equal(unavailable, DaemonSetUtil.UnavailableCount(ds, nodes));
        Assert.Equal(surge > 0, DaemonSetUtil.AllowsSurge(ds));
    }

    [Fact]
    public void SurgeAndUnavailableCount_OnDelete_Zero()
    {
        var ds = Ds(DaemonSetObjects.OnDelete());

        Assert.Equal((0, 0), (DaemonSetUtil.SurgeCount(ds, 5), DaemonSetUtil.UnavailableCount(ds, 5)));
        Assert.False(DaemonSetUtil.IsRollingUpdate(ds));
    }
}
