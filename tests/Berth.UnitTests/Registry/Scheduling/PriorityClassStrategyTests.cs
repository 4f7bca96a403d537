using Berth.Registry.Scheduling;
using static Berth.UnitTests.Registry.Strategies.StrategyTestHelpers;

namespace Berth.UnitTests.Registry.Scheduling;

/// <summary>PriorityClass defaulting and validation (upstream ValidatePriorityClass / ValidatePriorityClassUpdate).</summary>
public sealed class PriorityClassStrategyTests
{
    private readonly PriorityClassStrategy _strategy = new();

    [Fact]
    public void Default_SetsPreemptionPolicyAndZeroValue()
    {
        var pc = Parse("""{"metadata":{"name":"low"}}""");

        Assert.Empty(Create(_strategy, pc));

        Assert.Equal("PreemptLowerPriority", (string?)pc["preemptionPolicy"]);
        Assert.Equal(0L, (long?)pc["value"]);
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"big"},"value":1000000001}""", "value: Forbidden: maximum allowed value of a user defined priority is 1000000000")]
    [InlineData("""{"metadata":{"name":"system-foo"},"value":5}""", "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-foo is not a known system priority class")]
    [InlineData("""{"metadata":{"name":"system-node-critical"},"value":5}""", "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000")]
    [InlineData("""{"metadata":{"name":"system-cluster-critical"},"value":2000000000,"globalDefault":true}""", "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: globalDefault of system-cluster-critical PriorityClass must be false")]
    [InlineData("""{"metadata":{"name":"p"},"value":1,"preemptionPolicy":"Sometimes"}""", "preemptionPolicy: Unsupported value: \"Sometimes\": supported values: \"PreemptLowerPriority\", \"Never\"")]
    [InlineData("""{"metadata":{"name":"p"},"value":1,"preemptionPolicy":""}""", "preemptionPolicy: Required value")]
    [InlineData("""{"metadata":{"name":"Bad_Name"},"value":1}""", "metadata.name: Invalid value: \"Bad_Name\"")]
    public void Validate_RejectsWithUpstreamMessage(string json, string expected) =>
        Assert.Contains(Create(_strategy, Parse(json)), e => e.StartsWith(expected, StringComparison.Ordinal));

    [Theory]
    [InlineData("system-node-critical", 2000001000L)]
    [InlineData("system-cluster-critical", 2000000000L)]
    public void Validate_AcceptsBuiltInClasses(string name, long value) =>
        Assert.Empty(Create(_strategy, Parse($$"""{"metadata":{"name":"{{name}}"},"value":{{value}}}""")));

    [Fact]
    public void ValidateUpdate_ValueAndPreemptionPolicyAreImmutable()
    {
        var old = Parse("""{"metadata":{"name":"p","resourceVersion":"1"},"value":10,"preemptionPolicy":"Never"}""");
        var changed = With(old, o => { o["value"] = 11; o["preemptionPolicy"] = "PreemptLowerPriority"; o["description"] = "x"; });

        var errs = Update(_strategy, changed, old);

        Assert.Contains("value: Forbidden: may not be changed in an update.", errs);
        Assert.Contains("preemptionPolicy: Invalid value: \"PreemptLowerPriority\": field is immutable", errs);
        Assert.Empty(Update(_strategy, With(old, o => o["description"] = "now described"), old));
    }

    [Fact]
    public void SystemClasses_KnownValues()
    {
        Assert.Equal(2_000_000_000L, SystemPriorityClasses.SystemCriticalPriority);
        Assert.Equal([("system-node-critical", 2_000_001_000L), ("system-cluster-critical", 2_000_000_000L)],
            SystemPriorityClasses.All.Select(c => (c.Name, c.Value)));
        Assert.All(SystemPriorityClasses.Objects(), pc => Assert.Empty(Create(_strategy, pc)));
    }
}
