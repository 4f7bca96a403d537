using Berth.Registry.Core.LimitRanges;
using static Berth.UnitTests.Registry.Strategies.StrategyTestHelpers;

namespace Berth.UnitTests.Registry.LimitRanges;

/// <summary>LimitRange defaulting and validation (upstream SetDefaults_LimitRangeItem, ValidateLimitRange).</summary>
public sealed class LimitRangeStrategyTests
{
    private readonly LimitRangeStrategy _strategy = new();

    private static string Range(string limits) => """{"metadata":{"name":"lr","namespace":"default"},"spec":{"limits":""" + limits + "}}";

    [Fact]
    public void Default_ContainerItems_DefaultFromMax_RequestFromDefaultThenMin()
    {
        var lr = Parse(Range("""[{"type":"Container","max":{"cpu":"1"},"min":{"memory":"64Mi"},"default":{"memory":"128Mi"}},{"type":"Pod","max":{"cpu":"2"}}]"""));

        Assert.Empty(Create(_strategy, lr));

        var container = lr["spec"]!["limits"]![0]!;
        Assert.Equal("""{"memory":"128Mi","cpu":"1"}""", container["default"]!.ToJsonString());
        Assert.Equal("""{"memory":"128Mi","cpu":"1"}""", container["defaultRequest"]!.ToJsonString());
        Assert.Null(lr["spec"]!["limits"]![1]!["default"]);
    }

    [Fact]
    public void Default_NothingToCopy_LeavesMapsUnset()
    {
        var lr = Parse(Range("""[{"type":"Container","maxLimitRequestRatio":{"cpu":"2"}}]"""));

        Create(_strategy, lr);

        Assert.Null(lr["spec"]!["limits"]![0]!["default"]);
        Assert.Null(lr["spec"]!["limits"]![0]!["defaultRequest"]);
    }

    [Theory]
    [InlineData("""[{"type":"Container","min":{"cpu":"2"},"max":{"cpu":"1"}}]""", "spec.limits[0].min[cpu]: Invalid value: 2: min value 2 is greater than max value 1")]
    [InlineData("""[{"type":"Container","max":{"cpu":"1"},"default":{"cpu":"1500m"}}]""", "spec.limits[0].default[cpu]: Invalid value: 1: default value 1500m is greater than max value 1")]
    [InlineData("""[{"type":"Container","default":{"cpu":"1"},"defaultRequest":{"cpu":"2"}}]""", "spec.limits[0].defaultRequest[cpu]: Invalid value: 2: default request value 2 is greater than default limit value 1")]
    [InlineData("""[{"type":"Container","maxLimitRequestRatio":{"cpu":"500m"}}]""", "spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: 500m: ratio 500m is less than 1")]
    [InlineData("""[{"type":"Container","min":{"cpu":"1"},"max":{"cpu":"2"},"maxLimitRequestRatio":{"cpu":"3"}}]""", "spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: 3: ratio 3 is greater than max/min = 2.000000")]
    [InlineData("""[{"type":"Pod","default":{"cpu":"1"}}]""", "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'")]
    [InlineData("""[{"type":"Container"},{"type":"Container"}]""", "spec.limits[1].type: Duplicate value: \"Container\"")]
    [InlineData("""[{"type":"PersistentVolumeClaim","max":{"cpu":"1"}}]""", "spec.limits[0].limits: Required value: either minimum or maximum storage value is required, but neither was provided")]
    [InlineData("""[{"type":"Container","max":{"cpu":"lots"}}]""", "spec.limits[0].max[cpu]: Invalid value: \"lots\": quantities must match the regular expression")]
    public void Validate_RejectsWithUpstreamMessage(string limits, string expected) =>
        Assert.Contains(Create(_strategy, Parse(Range(limits))), e => e.StartsWith(expected, StringComparison.Ordinal));
}
