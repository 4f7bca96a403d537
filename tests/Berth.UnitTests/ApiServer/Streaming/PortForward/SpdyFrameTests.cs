using Berth.ApiServer.Streaming.PortForward;

namespace Berth.UnitTests.ApiServer.Streaming.PortForward;

public sealed class SpdyFrameTests
{
    [Fact]
    public async Task WriterThenReader_ControlAndDataFrames_RoundTrip()
    {
        using var wire = new MemoryStream();
        using var writer = new SpdyFrameWriter(wire, new SpdyHeaderCodec());
        await writer.WriteSynReplyAsync(3, CancellationToken.None);
        await writer.WriteDataAsync(3, "hello"u8.ToArray(), fin: true, CancellationToken.None);
        await writer.WriteRstStreamAsync(5, SpdyFrameWriter.Cancel, CancellationToken.None);
        await writer.WritePingAsync(new byte[] { 0, 0, 0, 7 }, CancellationToken.None);
        wire.Position = 0;
        var reader = new SpdyFrameReader(wire);

        var reply = (await reader.ReadAsync(CancellationToken.None))!.Value;
        var data = (await reader.ReadAsync(CancellationToken.None))!.Value;
        var reset = (await reader.ReadAsync(CancellationToken.None))!.Value;
        var ping = (await reader.ReadAsync(CancellationToken.None))!.Value;

        Assert.True(reply.IsControl);
        Assert.Equal((SpdyControlType.SynReply, 3u), (reply.Type, reply.StreamId));
        Assert.Empty(new SpdyHeaderCodec().Decode(reply.Payload.AsSpan(4)));
        Assert.False(data.IsControl);
        Assert.Equal((3u, true, "hello"), (data.StreamId, data.IsFin, System.Text.Encoding.ASCII.GetString(data.Payload)));
        Assert.Equal((SpdyControlType.RstStream, 5u), (reset.Type, reset.StreamId));
        Assert.Equal([0, 0, 0, 5, 0, 0, 0, 5], reset.Payload);
        Assert.Equal([0, 0, 0, 7], ping.Payload);
        Assert.Null(await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task WriteData_LongerThanOneFrame_SplitWithFinOnTheLastOnly()
    {
        using var wire = new MemoryStream();
        using var writer = new SpdyFrameWriter(wire, new SpdyHeaderCodec());
        await writer.WriteDataAsync(1, new byte[SpdyFrameWriter.MaxDataFrame + 10], fin: true, CancellationToken.None);
        wire.Position = 0;
        var reader = new SpdyFrameReader(wire);

        var first = (await reader.ReadAsync(CancellationToken.None))!.Value;
        var second = (await reader.ReadAsync(CancellationToken.None))!.Value;

        Assert.Equal((SpdyFrameWriter.MaxDataFrame, false), (first.Payload.Length, first.IsFin));
        Assert.Equal((10, true), (second.Payload.Length, second.IsFin));
    }

    [Fact]
    public async Task Read_OtherSpdyVersion_InvalidData()
    {
        var reader = new SpdyFrameReader(new MemoryStream([0x80, 0x02, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 1]));

        await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Read_EndsInsideAFrame_InvalidData()
    {
        var reader = new SpdyFrameReader(new MemoryStream([0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x09, 1, 2]));

        await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadAsync(CancellationToken.None));
    }
}
