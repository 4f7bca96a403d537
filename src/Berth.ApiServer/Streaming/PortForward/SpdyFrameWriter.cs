using System.Buffers.Binary;

namespace Berth.ApiServer.Streaming.PortForward;

/// <summary>
/// Writes the SPDY/3 frames a port-forward server sends. Thread-safe: each frame is written whole and flushed under one
/// lock, so the per-connection pumps can write concurrently without interleaving. A failed write (the client went
/// away) throws <see cref="IOException"/> or <see cref="OperationCanceledException"/>; the session then ends.
/// </summary>
internal sealed class SpdyFrameWriter(Stream stream, SpdyHeaderCodec headers) : IDisposable
{
    /// <summary>RST_STREAM status codes (draft 3, §2.4.2) that the server sends.</summary>
    public const uint ProtocolError = 1, InvalidStream = 2, RefusedStream = 3, Cancel = 5;

    /// <summary>The largest data frame written; longer buffers are split.</summary>
    public const int MaxDataFrame = 32 * 1024;

    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <summary>SYN_REPLY with an empty header block: the client's stream creation waits for it.</summary>
    public Task WriteSynReplyAsync(uint streamId, CancellationToken cancellationToken) =>
        WriteLockedAsync(() =>
        {
            var block = headers.Encode([]);
            var payload = new byte[4 + block.Length];
            BinaryPrimitives.WriteUInt32BigEndian(payload, streamId);
            block.CopyTo(payload, 4);
            return Control(SpdyControlType.SynReply, 0, payload);
        }, cancellationToken);

    /// <summary>Data on <paramref name="streamId"/>; <paramref name="fin"/> marks the server's last frame on it.</summary>
    public async Task WriteDataAsync(uint streamId, ReadOnlyMemory<byte> data, bool fin, CancellationToken cancellationToken)
    {
        do
        {
            var chunk = data[..Math.Min(data.Length, MaxDataFrame)];
            data = data[chunk.Length..];
            var last = fin && data.IsEmpty;
            await WriteLockedAsync(() => Data(streamId, chunk.Span, last), cancellationToken).ConfigureAwait(false);
        }
        while (!data.IsEmpty);
    }

    public Task WriteRstStreamAsync(uint streamId, uint status, CancellationToken cancellationToken) =>
        WriteLockedAsync(() => Control(SpdyControlType.RstStream, 0, Words(streamId, status)), cancellationToken);

    /// <summary>Echoes a client PING with its id.</summary>
    public Task WritePingAsync(ReadOnlyMemory<byte> pingPayload, CancellationToken cancellationToken) =>
        WriteLockedAsync(() => Control(SpdyControlType.Ping, 0, pingPayload.ToArray()), cancellationToken);

    public Task WriteGoAwayAsync(uint lastGoodStreamId, uint status, CancellationToken cancellationToken) =>
        WriteLockedAsync(() => Control(SpdyControlType.GoAway, 0, Words(lastGoodStreamId, status)), cancellationToken);

    public void Dispose() => _lock.Dispose();

    private async Task WriteLockedAsync(Func<byte[]> frame, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await stream.WriteAsync(frame(), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    private static byte[] Control(SpdyControlType type, byte flags, byte[] payload)
    {
        var frame = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, 0x8003);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)type);
        WriteFlagsAndLength(frame, flags, payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }

    private static byte[] Data(uint streamId, ReadOnlySpan<byte> data, bool fin)
    {
        var frame = new byte[8 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, streamId & 0x7fff_ffff);
        WriteFlagsAndLength(frame, fin ? SpdyFrame.FlagFin : (byte)0, data.Length);
        data.CopyTo(frame.AsSpan(8));
        return frame;
    }

    private static void WriteFlagsAndLength(byte[] frame, byte flags, int length)
    {
        frame[4] = flags;
        frame[5] = (byte)(length >> 16);
        frame[6] = (byte)(length >> 8);
        frame[7] = (byte)length;
    }

    private static byte[] Words(uint first, uint second)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(payload, first);
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(4), second);
        return payload;
    }
}
