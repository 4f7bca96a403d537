using Berth.Kubelet.Util;

namespace Berth.UnitTests.Kubelet.Util;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(10, "10s")]
    [InlineData(40, "40s")]
    [InlineData(80, "1m20s")]
    [InlineData(160, "2m40s")]
    [InlineData(300, "5m0s")]
    [InlineData(3600, "1h0m0s")]
    [InlineData(1.5, "1.5s")]
    [InlineData(0.5, "500ms")]
    public void Format_Seconds_MatchesGo(double seconds, string expected) =>
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromSeconds(seconds)));
}
