using Berth.Server.Cli;

namespace Berth.UnitTests.Server.Cli;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("250ms", 250)]
    [InlineData("1m0.5s", 60_500)]
    public void TryParse_GoSpellings_Parse(string text, long milliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("-5s")]
    [InlineData("5 s")]
    [InlineData("5d")]
    [InlineData("s")]
    [InlineData("5s junk")]
    public void TryParse_Invalid_Fails(string text)
    {
        Assert.False(GoDuration.TryParse(text, out _));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(30, "30s")]
    [InlineData(300, "5m0s")]
    [InlineData(5400, "1h30m0s")]
    public void Format_RoundTrips(int seconds, string expected)
    {
        var text = GoDuration.Format(TimeSpan.FromSeconds(seconds));
        Assert.Equal(expected, text);
        Assert.True(GoDuration.TryParse(text, out var back));
        Assert.Equal(TimeSpan.FromSeconds(seconds), back);
    }
}
