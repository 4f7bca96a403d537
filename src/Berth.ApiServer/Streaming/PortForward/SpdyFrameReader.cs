using System.Buffers.Binary;

namespace Berth.ApiServer.Streaming.PortForward;

/// <summary>
/// Reads SPDY/3 frames off a byte stream (the upgraded connection, or the byte stream carried inside a WebSocket's
/// binary messages). Single reader: not thread-safe. Only version 3 control frames are accepted.
/// </summary>
internal sealed class SpdyFrameReader(Stream stream)
{
    private const int HeaderBytes = 8;
    private readonly byte[] _header = new byte[HeaderBytes];

    /// <summary>
    /// The next frame, or null when the peer closed the stream cleanly between frames. A stream that ends inside a
    /// frame, or a control frame of another SPDY version, throws <see cref="InvalidDataException"/>.
    /// </summary>
    public async ValueTask<SpdyFrame?> ReadAsync(CancellationToken cancellationToken)
    {
        var read = await stream.ReadAtLeastAsync(_header, HeaderBytes, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            return null;
        }
        if (read < HeaderBytes)
        {
            throw new InvalidDataException("SPDY stream ended inside a frame header");
        }
        var first = BinaryPrimitives.ReadUInt32BigEndian(_header);
        var flags = _header[4];
        var length = (_header[5] << 16) | (_header[6] << 8) | _header[7];
        var payload = new byte[length];
        if (await stream.ReadAtLeastAsync(payload, length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < length)
        {
            throw new InvalidDataException("SPDY stream ended inside a frame");
        }
        if ((first & 0x8000_0000) == 0)
        {
            return new SpdyFrame(false, 0, first & 0x7fff_ffff, flags, payload);
        }
        var version = (first >> 16) & 0x7fff;
        if (version != 3)
        {
            throw new InvalidDataException($"unsupported SPDY version {version}");
        }
        var type = (SpdyControlType)(first & 0xffff);
        var streamId = HasStreamId(type) && length >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7fff_ffff : 0;
        return new SpdyFrame(true, type, streamId, flags, payload);
    }

    private static bool HasStreamId(SpdyControlType type) => type is SpdyControlType.SynStream or SpdyControlType.SynReply
        or SpdyControlType.RstStream or SpdyControlType.Headers or SpdyControlType.WindowUpdate;
}
