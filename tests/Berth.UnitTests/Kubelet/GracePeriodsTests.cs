using Berth.Kubelet;
using Berth.UnitTests.Kubelet.TestSupport;

namespace Berth.UnitTests.Kubelet;

/// <summary>§2.2 calculateEffectiveGracePeriod.</summary>
public sealed class GracePeriodsTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, null, null, 30, 30, false)]
    [InlineData(0, 20L, null, 30, 20, false)]
    [InlineData(0, 0L, null, 30, 1, false)]
    [InlineData(30, 10L, null, 30, 10, true)]
    [InlineData(10, 30L, null, 30, 10, false)]
    [InlineData(10, null, 5L, 30, 5, true)]
    [InlineData(10, 10L, 20L, 30, 10, false)]
    [InlineData(0, null, null, 0, 1, false)]
    [InlineData(5, 0L, null, 30, 1, true)]
    public void CalculateEffectiveGracePeriod_Table(long current, long? deletion, long? internalOverride, long spec, long expected, bool shortened)
    {
        var pod = TestPods.Pod().WithGrace(spec);
        if (deletion is { } d)
        {
            pod = pod.Deleting(d, Now);
        }

        var (grace, wasShortened) = GracePeriods.CalculateEffectiveGracePeriod(current, pod, internalOverride);

        Assert.Equal(expected, grace);
        Assert.Equal(shortened, wasShortened);
    }
}
