using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.ApiServer.Streaming.PortForward;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.ApiServer.Streaming.PortForward;

public sealed class PortForwardSessionTests : IAsyncLifetime
{
    private readonly Socket _echo = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private SpdyTestClient _client = null!;
    private Task _session = null!;
    private Task _echoLoop = null!;

    private int EchoPort => ((IPEndPoint)_echo.LocalEndPoint!).Port;

    public async Task InitializeAsync()
    {
        _echo.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _echo.Listen();
        _echoLoop = EchoAsync();
        _client = await SpdyTestClient.ConnectAsync();
        var session = new PortForwardSession(_client.ServerStream, IPAddress.Loopback, "default/web", NullLogger.Instance);
        _session = session.RunAsync(_stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _client.DisposeAsync();
        await _session.DefaultTimeout();
        _echo.Dispose();
        await _echoLoop.DefaultTimeout();
        _stop.Dispose();
    }

    [Fact]
    public async Task Pair_BytesBothWays_ThenHalfClosesEndBothStreams()
    {
        await OpenPairAsync(EchoPort);

        await _client.DataAsync(3, Encoding.ASCII.GetBytes("hello"));
        var echoed = await ReadDataAsync(3, until: text => text == "hello");
        await _client.DataAsync(3, [], fin: true);
        var rest = await _client.ReadUntilAsync(f => !f.IsControl && f.StreamId == 1 && f.IsFin);

        Assert.Equal("hello", echoed);
        Assert.Contains(rest, f => !f.IsControl && f.StreamId == 3 && f.IsFin);
        Assert.All(rest.Where(f => f.StreamId == 1), f => Assert.Empty(f.Payload));
    }

    [Fact]
    public async Task Pair_BytesAfterTheConnectionEnded_DroppedAndTheSessionServesOn()
    {
        await OpenPairAsync(EchoPort);
        await _client.DataAsync(3, [], fin: true);
        await _client.ReadUntilAsync(f => !f.IsControl && f.StreamId == 1 && f.IsFin);

        // kubectl may still be writing when the pod's side ended.
        await _client.DataAsync(3, Encoding.ASCII.GetBytes("late"));
        await _client.DataAsync(3, Encoding.ASCII.GetBytes("later"));
        await _client.PingAsync(7);
        var frames = await _client.ReadUntilAsync(f => f.Type == SpdyControlType.Ping);

        Assert.Equal([0, 0, 0, 7], frames[^1].Payload);
        Assert.False(_session.IsCompleted);
    }

    [Fact]
    public async Task Pair_NothingListening_ErrorStreamCarriesTheDialError()
    {
        int closedPort;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            closedPort = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        await OpenPairAsync(closedPort);
        var error = await ReadDataAsync(1, until: null);

        Assert.Equal($"error forwarding port {closedPort} to pod default/web: dial tcp 127.0.0.1:{closedPort}: connect: connection refused", error);
    }

    [Fact]
    public async Task Ping_IsEchoed()
    {
        await _client.PingAsync(41);

        var pong = (await _client.ReadAsync())!.Value;

        Assert.Equal((true, SpdyControlType.Ping), (pong.IsControl, pong.Type));
        Assert.Equal([0, 0, 0, 41], pong.Payload);
    }

    [Fact]
    public async Task SynStream_PortNotANumber_RepliedThenReset()
    {
        await _client.SynStreamAsync(1, ("streamtype", "error"), ("port", "http"), ("requestid", "0"));

        var frames = await _client.ReadUntilAsync(f => f.Type == SpdyControlType.RstStream);

        Assert.Equal(SpdyControlType.SynReply, frames[0].Type);
        Assert.Equal([0, 0, 0, 1, 0, 0, 0, (byte)SpdyFrameWriter.ProtocolError], frames[^1].Payload);
    }

    [Fact]
    public async Task GoAway_EndsTheSession()
    {
        await _client.GoAwayAsync();

        await _session.DefaultTimeout();

        Assert.True(_session.IsCompletedSuccessfully);
    }

    /// <summary>kubectl's order: the error stream (half-closed at once), then the data stream, each answered.</summary>
    private async Task OpenPairAsync(int port)
    {
        var portText = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await _client.SynStreamAsync(1, ("streamtype", "error"), ("port", portText), ("requestid", "0"));
        Assert.Equal((SpdyControlType.SynReply, 1u), Reply(await _client.ReadAsync()));
        await _client.DataAsync(1, [], fin: true);
        await _client.SynStreamAsync(3, ("streamtype", "data"), ("port", portText), ("requestid", "0"));
        Assert.Equal((SpdyControlType.SynReply, 3u), Reply(await _client.ReadAsync()));
    }

    private static (SpdyControlType, uint) Reply(SpdyFrame? frame) => (frame!.Value.Type, frame.Value.StreamId);

    /// <summary>Collects data on <paramref name="stream"/> until <paramref name="until"/> holds, or until its FIN.</summary>
    private async Task<string> ReadDataAsync(uint stream, Func<string, bool>? until)
    {
        var text = new StringBuilder();
        await _client.ReadUntilAsync(f =>
        {
            if (!f.IsControl && f.StreamId == stream)
            {
                text.Append(Encoding.ASCII.GetString(f.Payload));
                return until?.Invoke(text.ToString()) ?? f.IsFin;
            }
            return false;
        });
        return text.ToString();
    }

    private async Task EchoAsync()
    {
        try
        {
            while (true)
            {
                var connection = await _echo.AcceptAsync(_stop.Token);
                _ = Task.Run(async () =>
                {
                    using (connection)
                    {
                        var buffer = new byte[4096];
                        int read;
                        while ((read = await connection.ReceiveAsync(buffer, SocketFlags.None)) > 0)
                        {
                            await connection.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
                        }
                    }
                });
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }
}
