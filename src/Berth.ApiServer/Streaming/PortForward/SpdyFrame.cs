namespace Berth.ApiServer.Streaming.PortForward;

/// <summary>SPDY/3 control frame types (SPDY Protocol draft 3, §2.6).</summary>
internal enum SpdyControlType : ushort
{
    SynStream = 1,
    SynReply = 2,
    RstStream = 3,
    Settings = 4,
    Ping = 6,
    GoAway = 7,
    Headers = 8,
    WindowUpdate = 9,
}

/// <summary>
/// One SPDY/3 frame as read off the wire: a control frame (<see cref="IsControl"/>, <see cref="Type"/>, payload after
/// the 8-byte header) or a data frame (<see cref="StreamId"/>, payload = the data). <see cref="Payload"/> is owned by
/// the frame (a fresh array per frame), so it stays valid after the next read.
/// </summary>
internal readonly record struct SpdyFrame(bool IsControl, SpdyControlType Type, uint StreamId, byte Flags, byte[] Payload)
{
    /// <summary>FLAG_FIN: the sender's last frame on the stream (data, SYN_STREAM, SYN_REPLY, HEADERS).</summary>
    public const byte FlagFin = 0x01;

    public bool IsFin => (Flags & FlagFin) != 0;
}
