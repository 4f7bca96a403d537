using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Berth.ApiServer.Streaming.PortForward;

namespace Berth.UnitTests.ApiServer.Streaming.PortForward;

/// <summary>
/// The kubectl side of a port-forward SPDY session for tests: a loopback TCP pair whose server end is handed to the
/// session under test, and a client end that sends SYN_STREAM/data/PING/GOAWAY frames and reads the replies.
/// </summary>
internal sealed class SpdyTestClient : IAsyncDisposable
{
    private readonly Socket _client;
    private readonly NetworkStream _clientStream;
    private readonly SpdyHeaderCodec _send = new();
    private readonly SpdyFrameReader _reader;

    private SpdyTestClient(Socket client, NetworkStream serverStream)
    {
        _client = client;
        _clientStream = new NetworkStream(client, ownsSocket: false);
        _reader = new SpdyFrameReader(_clientStream);
        ServerStream = serverStream;
    }

    /// <summary>The transport the session under test reads and writes.</summary>
    public NetworkStream ServerStream { get; }

    /// <summary>Decodes the header blocks of the server's SYN_REPLYs (one zlib stream for the session).</summary>
    public SpdyHeaderCodec Receive { get; } = new();

    public static async Task<SpdyTestClient> ConnectAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!).DefaultTimeout();
        var server = await listener.AcceptAsync().DefaultTimeout();
        return new SpdyTestClient(client, new NetworkStream(server, ownsSocket: true));
    }

    public Task SynStreamAsync(uint streamId, params (string Name, string Value)[] headers)
    {
        var block = _send.Encode([.. headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value))]);
        var payload = new byte[10 + block.Length];
        BinaryPrimitives.WriteUInt32BigEndian(payload, streamId);
        block.CopyTo(payload, 10);
        return ControlAsync(SpdyControlType.SynStream, payload);
    }

    public Task PingAsync(uint id)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(payload, id);
        return ControlAsync(SpdyControlType.Ping, payload);
    }

    public Task GoAwayAsync() => ControlAsync(SpdyControlType.GoAway, new byte[8]);

    public async Task DataAsync(uint streamId, byte[] data, bool fin = false)
    {
        var frame = new byte[8 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, streamId);
        frame[4] = fin ? SpdyFrame.FlagFin : (byte)0;
        WriteLength(frame, data.Length);
        data.CopyTo(frame, 8);
        await _clientStream.WriteAsync(frame).AsTask().DefaultTimeout();
    }

    /// <summary>The server's next frame (bounded wait); null when it closed the transport.</summary>
    public async Task<SpdyFrame?> ReadAsync() => await _reader.ReadAsync(CancellationToken.None).AsTask().DefaultTimeout();

    /// <summary>Reads frames until <paramref name="done"/> holds for one, returning all frames read.</summary>
    public async Task<List<SpdyFrame>> ReadUntilAsync(Func<SpdyFrame, bool> done)
    {
        var frames = new List<SpdyFrame>();
        while (await ReadAsync() is { } frame)
        {
            frames.Add(frame);
            if (done(frame))
            {
                return frames;
            }
        }
        throw new InvalidOperationException("the session closed before the expected frame; frames: " + frames.Count);
    }

    public async ValueTask DisposeAsync()
    {
        await _clientStream.DisposeAsync();
        _client.Dispose();
        await ServerStream.DisposeAsync();
    }

    private async Task ControlAsync(SpdyControlType type, byte[] payload)
    {
        var frame = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, 0x8003);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)type);
        WriteLength(frame, payload.Length);
        payload.CopyTo(frame, 8);
        await _clientStream.WriteAsync(frame).AsTask().DefaultTimeout();
    }

    private static void WriteLength(byte[] frame, int length)
    {
        frame[5] = (byte)(length >> 16);
        frame[6] = (byte)(length >> 8);
        frame[7] = (byte)length;
    }
}
