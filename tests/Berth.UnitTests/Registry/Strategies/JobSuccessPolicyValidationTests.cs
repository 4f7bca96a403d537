using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using Berth.Registry.Batch.Jobs;
using static Berth.UnitTests.Registry.Strategies.StrategyTestHelpers;

namespace Berth.UnitTests.Registry.Strategies;

public sealed class JobSuccessPolicyValidationTests
{
    private static JsonObject Job(string policy, string mode = "Indexed") =>
        Parse("""{"metadata":{"name":"pi","namespace":"default","uid":"u-1"},"spec":{"completions":5,"parallelism":5,"completionMode":""" + "\"" + mode + "\"," +
            """ "successPolicy":""" + policy + """, "template":{"spec":{"restartPolicy":"Never","containers":[{"name":"app","image":"busybox"}]}}}}""");

    [Fact]
    public void Create_ValidPolicy_Accepted() =>
        Assert.Empty(Create(new JobStrategy(), Job("""{"rules":[{"succeededIndexes":"0,2-4","succeededCount":2},{"succeededCount":5}]}""")));

    [Theory]
    [InlineData("""{"rules":[]}""", "spec.successPolicy.rules: Required value: at least one rules must be specified when the successPolicy is specified")]
    [InlineData("""{"rules":[{}]}""", "spec.successPolicy.rules[0]: Required value: at least one of succeededCount or succeededIndexes must be specified")]
    [InlineData("""{"rules":[{"succeededIndexes":"3,1"}]}""",
        "spec.successPolicy.rules[0].succeededIndexes: Invalid value: \"3,1\": error parsing succeededIndexes: non-increasing order, previous: 3, current: 1")]
    [InlineData("""{"rules":[{"succeededIndexes":"0-5"}]}""",
        "spec.successPolicy.rules[0].succeededIndexes: Invalid value: \"0-5\": error parsing succeededIndexes: too large index: \"5\"")]
    [InlineData("""{"rules":[{"succeededCount":6}]}""",
        "spec.successPolicy.rules[0].succeededCount: Invalid value: 6: must be less than or equal to 5 (the number of specified completions)")]
    [InlineData("""{"rules":[{"succeededIndexes":"1-2","succeededCount":3}]}""",
        "spec.successPolicy.rules[0].succeededCount: Invalid value: 3: must be less than or equal to 2 (the number of indexes in the specified succeededIndexes field)")]
    public void Create_InvalidPolicy_Rejected(string policy, string expected) => Assert.Contains(expected, Create(new JobStrategy(), Job(policy)));

    [Fact]
    public void Create_NonIndexed_Rejected() =>
        Assert.Contains(Create(new JobStrategy(), Job("""{"rules":[{"succeededCount":1}]}""", "NonIndexed")),
            e => e.StartsWith("spec.successPolicy: Invalid value: ", StringComparison.Ordinal) && e.EndsWith(": requires indexed completion mode", StringComparison.Ordinal));
}
