using Berth.ApiServer.Streaming.PortForward;

namespace Berth.UnitTests.ApiServer.Streaming.PortForward;

public sealed class SpdyHeaderCodecTests
{
    /// <summary>
    /// The header blocks of the first two SYN_STREAMs kubectl 1.32 sent for one forwarded connection (captured with
    /// <c>kubectl port-forward -v=8</c>): one zlib stream, primed with the SPDY/3 dictionary, sync-flushed per block.
    /// </summary>
    private static readonly byte[] KubectlErrorStreamBlock = Convert.FromHexString(
        "78F9E3C6A7C202253A703A2B294A4DCC851625ACA9A0808614CB45E01C60616061C0C0C0C0590489C64C50F2663400000000FFFF");

    private static readonly byte[] KubectlDataStreamBlock = Convert.FromHexString("C2AA19540E2512D60B000000FFFF");

    [Fact]
    public void Dictionary_IsTheSpdy3DictionaryKubectlNames()
    {
        Assert.Equal(1423, SpdyDictionary.Bytes.Length);
        // kubectl's zlib header carries the dictionary's Adler-32 right after CMF/FLG.
        Assert.Equal("E3C6A7C2", Convert.ToHexString(KubectlErrorStreamBlock, 2, 4));
        Assert.Equal("E3C6A7C2", Convert.ToHexString(new SpdyHeaderCodec().Encode([]), 2, 4));
    }

    [Fact]
    public void Decode_KubectlBlocks_HeadersOfBothStreamsFromOneZlibStream()
    {
        var codec = new SpdyHeaderCodec();

        var error = codec.Decode(KubectlErrorStreamBlock);
        var data = codec.Decode(KubectlDataStreamBlock);

        Assert.Equal(new Dictionary<string, string> { ["streamtype"] = "error", ["port"] = "8080", ["requestid"] = "0" }, error);
        Assert.Equal(new Dictionary<string, string> { ["streamtype"] = "data", ["port"] = "8080", ["requestid"] = "0" }, data);
    }

    [Fact]
    public void Encode_EveryBlock_EndsWithASyncFlushAndDecodesInOrder()
    {
        var sender = new SpdyHeaderCodec();
        var receiver = new SpdyHeaderCodec();

        var first = sender.Encode([]);
        var second = sender.Encode([new("streamtype", "data"), new("port", "80")]);

        Assert.Equal([0x78, 0xBB], first[..2]);
        Assert.Equal([0x00, 0x00, 0x00, 0xFF, 0xFF], first[^5..]);
        Assert.Equal([0x00, 0x00, 0x00, 0xFF, 0xFF], second[^5..]);
        Assert.NotEqual(0x78, second[0]);
        Assert.Empty(receiver.Decode(first));
        Assert.Equal(new Dictionary<string, string> { ["streamtype"] = "data", ["port"] = "80" }, receiver.Decode(second));
    }

    [Fact]
    public void Decode_NotZlib_InvalidData()
    {
        Assert.Throws<InvalidDataException>(() => new SpdyHeaderCodec().Decode([0x01, 0x02, 0x03, 0x04, 0x05]));
    }

    [Fact]
    public void Decode_CountBeyondTheBlock_InvalidData()
    {
        var sender = new SpdyHeaderCodec();
        var block = sender.Encode([new("a", "b")]);
        // Raise the pair count in the stored block (after the 6-byte zlib header and the 5-byte block header).
        block[6 + 5 + 3] = 9;

        Assert.Throws<InvalidDataException>(() => new SpdyHeaderCodec().Decode(block));
    }
}
