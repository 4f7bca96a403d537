using Berth.ApiServer.Tables;

namespace Berth.UnitTests.ApiServer.Tables;

public sealed class HumanDurationTests
{
    [Theory]
    [InlineData(-3.0, "<invalid>")]
    [InlineData(-2.0, "<invalid>")]
    [InlineData(-1.9, "0s")]
    [InlineData(-1.0, "0s")]
    [InlineData(0.0, "0s")]
    [InlineData(0.9, "0s")]
    [InlineData(13.0, "13s")]
    [InlineData(119.9, "119s")]
    [InlineData(120.0, "2m")]
    [InlineData(310.0, "5m10s")]
    [InlineData(599.0, "9m59s")]
    [InlineData(600.0, "10m")]
    [InlineData(659.0, "10m")]
    [InlineData(10_799.0, "179m")]
    public void Format_SecondsAndMinutes_MatchUpstreamThresholds(double seconds, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(180, "3h")]
    [InlineData(185, "3h5m")]
    [InlineData(479, "7h59m")]
    [InlineData(480, "8h")]
    [InlineData(485, "8h")]
    [InlineData(2879, "47h")]
    [InlineData(2880, "2d")]
    [InlineData(2880 + 300, "2d5h")]
    [InlineData(11_460, "7d23h")]
    [InlineData(11_520, "8d")]
    [InlineData(11_580, "8d")]
    public void Format_HoursAndDays_MatchUpstreamThresholds(int minutes, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromMinutes(minutes)));

    [Theory]
    [InlineData(729, "729d")]
    [InlineData(730, "2y")]
    [InlineData(770, "2y40d")]
    [InlineData(2919, "7y364d")]
    [InlineData(2920, "8y")]
    [InlineData(3700, "10y")]
    public void Format_Years_MatchUpstreamThresholds(int days, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromDays(days)));

    [Fact]
    public void Since_MissingOrMalformedTimestamp_IsUnknown()
    {
        Assert.Equal("<unknown>", Timestamps.Since(null, PrinterFixture.Now));
        Assert.Equal("<unknown>", Timestamps.Since("", PrinterFixture.Now));
        Assert.Equal("<unknown>", Timestamps.Since("yesterday", PrinterFixture.Now));
    }

    [Fact]
    public void Since_FractionalAndOffsetTimestamps_Parse()
    {
        Assert.Equal("13s", Timestamps.Since("2025-03-01T11:59:46.500000Z", PrinterFixture.Now));
        Assert.Equal("120m", Timestamps.Since("2025-03-01T11:00:00+01:00", PrinterFixture.Now));
    }

    [Fact]
    public void Since_FutureBeyondTolerance_IsInvalid() =>
        Assert.Equal("<invalid>", Timestamps.Since("2025-03-01T12:00:30Z", PrinterFixture.Now));
}
