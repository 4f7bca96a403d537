using System.Text.Json.Nodes;
using Berth.Controllers.Job;

namespace Berth.UnitTests.Controllers.Job;

public sealed class SuccessPolicyTests
{
    private static JsonObject Policy(string rules) => JsonNode.Parse("""{"rules":""" + rules + "}")!.AsObject();

    [Theory]
    [InlineData("""[{"succeededIndexes":"0-2"}]""", "0-2,4-7", "Matched rules at index 0")]
    [InlineData("""[{"succeededIndexes":"3"}]""", "0-2", null)]
    [InlineData("""[{"succeededCount":2}]""", "0-2", "Matched rules at index 0")]
    [InlineData("""[{"succeededCount":4}]""", "0-2", null)]
    [InlineData("""[{"succeededIndexes":"0-4","succeededCount":2}]""", "1,3", "Matched rules at index 0")]
    [InlineData("""[{"succeededIndexes":"0-4","succeededCount":3}]""", "1,3,8", null)]
    [InlineData("""[{"succeededIndexes":"invalid"},{"succeededCount":1}]""", "5", "Matched rules at index 1")]
    [InlineData("""[{"succeededCount":1}]""", "", null)]
    public void Match_FirstSatisfiedRule(string rules, string succeeded, string? expected) =>
        Assert.Equal(expected, SuccessPolicy.Match(Policy(rules), 10, CompletedIndexes.Parse(succeeded, 10)));
}
