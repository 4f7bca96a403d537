using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Berth.ApiServer.Streaming.WebSockets;

namespace Berth.ApiServer.Streaming.PortForward;

/// <summary>
/// Port-forward over the WebSocket channel protocol (<c>v4.channel.k8s.io</c> and its base64 variant) that client
/// libraries use (the C# and Python clients; kubectl speaks SPDY instead): one connection to the pod per port of the
/// <c>ports</c> query, port <c>i</c> on channels <c>2i</c> (data, both ways) and <c>2i+1</c> (errors, to the client).
/// Each channel's first message is its port as two little-endian bytes. The socket closes once every port's
/// connection has ended, or when the client closes it (then every pod connection is closed).
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/kubelet/cri/streaming/portforward/websocket.go. One session per request; sends
/// are serialised by a lock, receiving is a single loop.
/// </remarks>
internal sealed class ChannelPortForwardSession(WebSocket socket, ChannelProtocol protocol, IPAddress podIp,
    IReadOnlyList<int> ports, string podDescription)
{
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly Socket?[] _connections = new Socket?[ports.Count];
    private readonly TaskCompletionSource<Socket?>[] _connected =
        [.. Enumerable.Range(0, ports.Count).Select(_ => new TaskCompletionSource<Socket?>(TaskCreationOptions.RunContinuationsAsynchronously))];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            for (var i = 0; i < ports.Count; i++)
            {
                var port = new byte[2];
                BinaryPrimitives.WriteUInt16LittleEndian(port, (ushort)ports[i]);
                await SendAsync((byte)(2 * i), port, session.Token).ConfigureAwait(false);
                await SendAsync((byte)(2 * i + 1), port, session.Token).ConfigureAwait(false);
            }
            var forwards = Task.WhenAll(Enumerable.Range(0, ports.Count).Select(i => ForwardAsync(i, session.Token)));
            var receive = ReceiveAsync(session.Token);
            await Task.WhenAny(forwards, receive).ConfigureAwait(false);
            if (forwards.IsCompleted && socket.State == WebSocketState.Open)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, session.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away.
        }
        finally
        {
            await session.CancelAsync().ConfigureAwait(false);
            Array.ForEach(_connected, c => c.TrySetResult(null));
            foreach (var connection in _connections)
            {
                connection?.Dispose();
            }
            _send.Dispose();
        }
    }

    /// <summary>Dials port <paramref name="index"/> and copies the pod's bytes to its data channel until it closes.</summary>
    private async Task ForwardAsync(int index, CancellationToken cancellationToken)
    {
        var target = new IPEndPoint(podIp, ports[index]);
        var connection = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _connections[index] = connection;
        try
        {
            await connection.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
            _connected[index].TrySetResult(connection);
            var buffer = new byte[32 * 1024];
            int read;
            while ((read = await connection.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await SendAsync((byte)(2 * index), buffer.AsSpan(0, read).ToArray(), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SocketException e) when (!cancellationToken.IsCancellationRequested)
        {
            _connected[index].TrySetResult(null);
            await SendAsync((byte)(2 * index + 1), Encoding.UTF8.GetBytes(PortForwardErrors.Message(target, podDescription, e)),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException or SocketException or WebSocketException)
        {
            // The session ended (the client closed the socket) or the pod reset the connection.
            _connected[index].TrySetResult(null);
        }
    }

    /// <summary>Writes data-channel messages to their pod connection; ends when the client closes the socket. Never throws.</summary>
    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReceiveLoopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException or SocketException or WebSocketException)
        {
            // The client went away, or a pod connection failed: the session ends.
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }
            // Bytes for a port wait for its dial; a port whose dial failed, or an unknown channel, drops them.
            if (protocol.TryDecode(message.ToArray(), out var channel, out var payload) && channel % 2 == 0
                && channel / 2 < ports.Count && !payload.IsEmpty
                && await _connected[channel / 2].Task.WaitAsync(cancellationToken).ConfigureAwait(false) is { } connection)
            {
                await connection.SendAsync(payload, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            message.SetLength(0);
        }
    }

    private async Task SendAsync(byte channel, byte[] data, CancellationToken cancellationToken)
    {
        var type = protocol.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
        await _send.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(protocol.Encode(channel, data), type, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _send.Release();
        }
    }
}
