using Berth.Controllers.PodAutoscaler;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Controllers.PodAutoscaler;

/// <summary>Stabilization windows, rate limits and min/max with a fake clock (normalizeDesiredReplicas[WithBehaviors]).</summary>
public sealed class ScaleNormalizerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
    private readonly ScaleNormalizer _normalizer;

    public ScaleNormalizerTests() => _normalizer = new ScaleNormalizer(_time, ScaleNormalizer.DefaultDownscaleStabilizationWindow);

    private static ScalingRules Rules(int windowSeconds, string select, params ScalingPolicy[] policies) =>
        new(TimeSpan.FromSeconds(windowSeconds), select, policies);

    [Fact]
    public void ScaleDown_WaitsForTheDownscaleWindow()
    {
        _normalizer.RecordInitial("h", 4);

        var early = _normalizer.Normalize("h", 4, 1, 1, 10);
        Assert.Equal(4, early.Replicas);
        Assert.Equal("ScaleDownStabilized", early.AbleToScale.Reason);

        _time.Advance(TimeSpan.FromSeconds(301));
        var late = _normalizer.Normalize("h", 4, 1, 1, 10);
        Assert.Equal(1, late.Replicas);
        Assert.Equal("ReadyForNewScale", late.AbleToScale.Reason);
        Assert.Equal((false, "DesiredWithinRange", "the desired count is within the acceptable range"), late.ScalingLimited);
    }

    [Theory]
    [InlineData(2, 10, 3, 3, "TooManyReplicas")]
    [InlineData(2, 0, 5, 2, "TooFewReplicas")]
    [InlineData(2, 40, 50, 4, "ScaleUpLimit")] // max(2 × 2, 4)
    [InlineData(3, 5, 50, 5, "DesiredWithinRange")]
    public void WithoutBehavior_ClampsWithUpstreamReasons(int current, int proposed, int max, int expected, string reason)
    {
        var result = _normalizer.Normalize("h", current, proposed, 2, max);

        Assert.Equal(expected, result.Replicas);
        Assert.Equal(reason, result.ScalingLimited.Reason);
        Assert.Equal(reason != "DesiredWithinRange", result.ScalingLimited.Limited);
    }

    [Fact]
    public void Behavior_PodsPolicy_LimitsEachPeriod()
    {
        var up = Rules(0, "Max", new ScalingPolicy("Pods", 1, 60));
        var down = Rules(0, "Max", new ScalingPolicy("Percent", 100, 15));

        var first = _normalizer.NormalizeWithBehavior("h", 1, 5, 1, 10, up, down);
        Assert.Equal((2, "ScaleUpLimit"), (first.Replicas, first.ScalingLimited.Reason));
        _normalizer.RecordScale("h", 1, 2, up, down);

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(2, _normalizer.NormalizeWithBehavior("h", 2, 5, 1, 10, up, down).Replicas); // 1 pod already added this period

        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(3, _normalizer.NormalizeWithBehavior("h", 2, 5, 1, 10, up, down).Replicas);
    }

    [Fact]
    public void Behavior_ScaleUpWindow_AppliesTheLowestRecentRecommendation()
    {
        var up = Rules(60, "Max", new ScalingPolicy("Percent", 100, 15));
        var down = Rules(0, "Max", new ScalingPolicy("Percent", 100, 15));
        _normalizer.RecordInitial("h", 2);

        var result = _normalizer.NormalizeWithBehavior("h", 2, 4, 1, 10, up, down);

        Assert.Equal(2, result.Replicas);
        Assert.Equal("ScaleUpStabilized", result.AbleToScale.Reason);
        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(4, _normalizer.NormalizeWithBehavior("h", 2, 4, 1, 10, up, down).Replicas);
    }

    [Fact]
    public void Behavior_DisabledScaleDown_NeverShrinks()
    {
        var up = Rules(0, "Max", new ScalingPolicy("Pods", 4, 15));
        var down = Rules(0, "Disabled", new ScalingPolicy("Percent", 100, 15));

        var result = _normalizer.NormalizeWithBehavior("h", 5, 1, 1, 10, up, down);

        Assert.Equal((5, "ScaleDownLimit"), (result.Replicas, result.ScalingLimited.Reason));
    }

    [Fact]
    public void Behavior_PercentScaleDown_MinSelectsTheSmallerChange()
    {
        var up = Rules(0, "Max", new ScalingPolicy("Pods", 4, 15));
        var down = Rules(0, "Min", new ScalingPolicy("Percent", 50, 60), new ScalingPolicy("Pods", 1, 60));

        Assert.Equal(9, _normalizer.NormalizeWithBehavior("h", 10, 1, 1, 10, up, down).Replicas);
    }
}
