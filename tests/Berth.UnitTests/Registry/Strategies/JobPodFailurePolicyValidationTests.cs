using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using Berth.Registry.Batch.Jobs;
using static Berth.UnitTests.Registry.Strategies.StrategyTestHelpers;

namespace Berth.UnitTests.Registry.Strategies;

public sealed class JobPodFailurePolicyValidationTests
{
    private static JsonObject Job(string rules, string restartPolicy = "Never", string extra = "") =>
        Parse("""{"metadata":{"name":"pi","namespace":"default","uid":"u-1"},"spec":{""" + extra + """ "podFailurePolicy":{"rules":""" + rules +
            """}, "template":{"spec":{"restartPolicy":""" + "\"" + restartPolicy + "\"" +
            ""","initContainers":[{"name":"init","image":"busybox"}],"containers":[{"name":"app","image":"busybox"}]}}}}""");

    [Fact]
    public void Create_ValidPolicy_DefaultsReplacementFailedAndPatternStatusTrue()
    {
        var job = Job("""[{"action":"FailJob","onExitCodes":{"containerName":"init","operator":"In","values":[1,42]}},{"action":"Ignore","onPodConditions":[{"type":"DisruptionTarget"}]}]""");

        Assert.Empty(Create(new JobStrategy(), job));
        Assert.Equal("Failed", job.GetString("spec", "podReplacementPolicy"));
        Assert.Equal("True", job.GetObject("spec", "podFailurePolicy")!.GetArray("rules")![1]!.AsObject().GetArray("onPodConditions")![0]!.AsObject().GetString("status"));
    }

    [Theory]
    [InlineData("""[{"action":"FailJob","onExitCodes":{"operator":"In","values":[0,3]}}]""",
        "spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator")]
    [InlineData("""[{"action":"FailJob","onExitCodes":{"operator":"In","values":[5,3,3]}}]""",
        "spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 3")]
    [InlineData("""[{"action":"FailJob","onExitCodes":{"operator":"In","values":[5,3]}}]""",
        "spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: [5,3]: must be ordered")]
    [InlineData("""[{"action":"FailJob","onExitCodes":{"operator":"Is","values":[3]}}]""",
        "spec.podFailurePolicy.rules[0].onExitCodes.operator: Unsupported value: \"Is\": supported values: \"In\", \"NotIn\"")]
    [InlineData("""[{"action":"FailJob","onExitCodes":{"containerName":"x","operator":"In","values":[3]}}]""",
        "spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: \"x\": must be one of the container or initContainer names in the pod template")]
    [InlineData("""[{"action":"FailIndex","onExitCodes":{"operator":"In","values":[3]}}]""",
        "spec.podFailurePolicy.rules[0].action: Invalid value: \"FailIndex\": requires the backoffLimitPerIndex to be set")]
    [InlineData("""[{"action":"Retry","onExitCodes":{"operator":"In","values":[3]}}]""",
        "spec.podFailurePolicy.rules[0].action: Unsupported value: \"Retry\": supported values: \"Count\", \"FailIndex\", \"FailJob\", \"Ignore\"")]
    [InlineData("""[{"action":"Ignore"}]""",
        "spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required")]
    [InlineData("""[{"action":"Ignore","onExitCodes":{"operator":"In","values":[3]},"onPodConditions":[{"type":"A","status":"True"}]}]""",
        "spec.podFailurePolicy.rules[0]: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported")]
    [InlineData("""[{"action":"Ignore","onPodConditions":[{"type":"A","status":"Maybe"}]}]""",
        "spec.podFailurePolicy.rules[0].onPodConditions[0].status: Unsupported value: \"Maybe\": supported values: \"False\", \"True\", \"Unknown\"")]
    public void Create_InvalidRule_Rejected(string rules, string expected) => Assert.Contains(expected, Create(new JobStrategy(), Job(rules)));

    [Fact]
    public void Create_PolicyWithOnFailureOrTerminatingOrFailed_Rejected()
    {
        const string rules = """[{"action":"Ignore","onExitCodes":{"operator":"In","values":[3]}}]""";
        Assert.Contains("spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified",
            Create(new JobStrategy(), Job(rules, "OnFailure")));
        Assert.Contains("spec.podReplacementPolicy: Unsupported value: \"TerminatingOrFailed\": supported values: \"Failed\"",
            Create(new JobStrategy(), Job(rules, extra: "\"podReplacementPolicy\":\"TerminatingOrFailed\",")));
    }
}
