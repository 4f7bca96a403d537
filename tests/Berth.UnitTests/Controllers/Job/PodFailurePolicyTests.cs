using System.Text.Json.Nodes;
using Berth.Controllers.Job;
using k8s.Models;

namespace Berth.UnitTests.Controllers.Job;

public sealed class PodFailurePolicyTests
{
    private static V1ContainerStatus Terminated(string name, int exitCode) =>
        new() { Name = name, State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = exitCode } } };

    private static V1Pod Pod(V1ContainerStatus[]? containers = null, V1ContainerStatus[]? init = null, V1PodCondition[]? conditions = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "ns", Uid = "u" },
        Status = new V1PodStatus { Phase = "Failed", ContainerStatuses = containers, InitContainerStatuses = init, Conditions = conditions },
    };

    private static JsonObject Policy(string rules) => JsonNode.Parse("""{"rules":""" + rules + "}")!.AsObject();

    [Fact]
    public void Match_ExitCodeIn_FailJobWithUpstreamMessage()
    {
        var match = PodFailurePolicy.Match(Policy("""[{"action":"FailJob","onExitCodes":{"operator":"In","values":[42]}}]"""),
            Pod([Terminated("app", 42)]));

        Assert.Equal(new PodFailurePolicyMatch("Container app for pod ns/p failed with exit code 42 matching FailJob rule at index 0", true, "FailJob"), match);
    }

    [Fact]
    public void Match_FirstMatchingRuleWins()
    {
        var policy = Policy("""
            [{"action":"FailJob","onExitCodes":{"operator":"In","values":[1]}},
             {"action":"Ignore","onExitCodes":{"operator":"In","values":[42]}},
             {"action":"FailJob","onExitCodes":{"operator":"In","values":[42]}}]
            """);

        Assert.Equal(new PodFailurePolicyMatch(null, false, "Ignore"), PodFailurePolicy.Match(policy, Pod([Terminated("app", 42)])));
    }

    [Fact]
    public void Match_NotIn_MatchesOtherNonZeroCodesOnly()
    {
        var policy = Policy("""[{"action":"Count","onExitCodes":{"operator":"NotIn","values":[1,2]}}]""");

        Assert.Equal("Count", PodFailurePolicy.Match(policy, Pod([Terminated("app", 3)])).Action);
        Assert.Null(PodFailurePolicy.Match(policy, Pod([Terminated("app", 2)])).Action);
        Assert.Null(PodFailurePolicy.Match(policy, Pod([Terminated("app", 0)])).Action);
    }

    [Fact]
    public void Match_ContainerName_ConsidersThatContainerIncludingInitContainers()
    {
        var policy = Policy("""[{"action":"FailJob","onExitCodes":{"containerName":"init","operator":"In","values":[5]}}]""");

        Assert.Null(PodFailurePolicy.Match(policy, Pod([Terminated("app", 5)])).Action);
        var match = PodFailurePolicy.Match(policy, Pod([new V1ContainerStatus { Name = "app", State = new V1ContainerState() }], [Terminated("init", 5)]));
        Assert.Equal("Container init for pod ns/p failed with exit code 5 matching FailJob rule at index 0", match.FailJobMessage);
    }

    [Fact]
    public void Match_PodCondition_TypeAndStatus()
    {
        var policy = Policy("""
            [{"action":"Count","onExitCodes":{"operator":"In","values":[9]}},
             {"action":"FailJob","onPodConditions":[{"type":"DisruptionTarget","status":"True"}]}]
            """);
        var disrupted = new V1PodCondition { Type = "DisruptionTarget", Status = "True" };

        Assert.Equal("Pod ns/p has condition DisruptionTarget matching FailJob rule at index 1",
            PodFailurePolicy.Match(policy, Pod([Terminated("app", 137)], conditions: [new V1PodCondition { Type = "Ready", Status = "False" }, disrupted])).FailJobMessage);
        Assert.Null(PodFailurePolicy.Match(policy, Pod([Terminated("app", 137)], conditions: [new V1PodCondition { Type = "DisruptionTarget", Status = "False" }])).Action);
    }

    [Fact]
    public void Match_FailIndexRuleWithoutPerIndexBackoff_IsSkipped()
    {
        var policy = Policy("""
            [{"action":"FailIndex","onExitCodes":{"operator":"In","values":[3]}},
             {"action":"Ignore","onExitCodes":{"operator":"In","values":[3]}}]
            """);

        Assert.Equal(new PodFailurePolicyMatch(null, false, "Ignore"), PodFailurePolicy.Match(policy, Pod([Terminated("app", 3)])));
        Assert.Equal(PodFailurePolicyMatch.NoMatch, PodFailurePolicy.Match(null, Pod([Terminated("app", 3)])));
    }
}
