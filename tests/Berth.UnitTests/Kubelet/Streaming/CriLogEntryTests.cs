using System.Text;
using Berth.Kubelet.Streaming.Logs;

namespace Berth.UnitTests.Kubelet.Streaming;

public sealed class CriLogEntryTests
{
    [Fact]
    public void TryParse_FullStdoutLine_KeepsNewlineAndNanosecondTime()
    {
        Assert.True(CriLogEntry.TryParse(Bytes("2026-11-27T22:48:10.123456789Z stdout F hello world\n"), out var e));

        Assert.False(e.IsStderr);
        Assert.False(e.Partial);
        Assert.Equal("hello world\n", Encoding.UTF8.GetString(e.Content.Span));
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 22, 48, 10, TimeSpan.Zero).AddTicks(1234567), e.Timestamp);
    }

    [Fact]
    public void TryParse_PartialStderrLine_DropsNewline()
    {
        Assert.True(CriLogEntry.TryParse(Bytes("2026-11-27T22:48:10Z stderr P part\n"), out var e));

        Assert.True(e.IsStderr);
        Assert.True(e.Partial);
        Assert.Equal("part", Encoding.UTF8.GetString(e.Content.Span));
    }

    [Fact]
    public void TryParse_TagWithAttributesAndOffsetTime_Parsed()
    {
        Assert.True(CriLogEntry.TryParse(Bytes("2026-11-27T23:48:10.5+01:00 stdout F:x y\n"), out var e));

        Assert.Equal(new DateTimeOffset(2026, 11, 27, 22, 48, 10, 500, TimeSpan.Zero), e.Timestamp.ToUniversalTime());
        Assert.Equal("y\n", Encoding.UTF8.GetString(e.Content.Span));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage\n")]
    [InlineData("2026-11-27T22:48:10Z stdin F x\n")]
    [InlineData("2026-11-27T22:48:10Z stdout\n")]
    [InlineData("not-a-time stdout F x\n")]
    [InlineData("2026-11-27T22:48:10.1234567890Z stdout F x\n")]
    public void TryParse_Malformed_False(string line) => Assert.False(CriLogEntry.TryParse(Bytes(line), out _));

    [Theory]
    [InlineData("2026-11-27T22:48:10.123456700Z", "2026-11-27T22:48:10.1234567Z")]
    [InlineData("2026-11-27T22:48:10.500000000Z", "2026-11-27T22:48:10.5Z")]
    [InlineData("2026-11-27T22:48:10.000000000Z", "2026-11-27T22:48:10Z")]
    [InlineData("2026-11-27T23:48:10+01:00", "2026-11-27T22:48:10Z")]
    public void FormatTimestamp_RFC3339NanoInUtc_TrailingZerosTrimmed(string input, string expected)
    {
        Assert.True(CriLogEntry.TryParseTimestamp(Encoding.ASCII.GetBytes(input), out var t));

        Assert.Equal(expected, CriLogEntry.FormatTimestamp(t));
    }

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);
}
