using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.ApiServer.Streaming.WebSockets;
using Berth.Machinery.Errors;
using Berth.Machinery.Serialization;

namespace Berth.ApiServer.Streaming.Remote;

/// <summary>
/// One exec forwarded to an agent over a v5.channel.k8s.io WebSocket: the client's stdin (then a close-stdin
/// message) and resize events go up, stdout/stderr frames come down, and the agent's final Status becomes the exit
/// code (Success → 0, NonZeroExitCode → its ExitCode cause) or an <see cref="ApiException"/>. Cancellation aborts
/// the socket, which makes the agent kill the command. Single use; the pumps run concurrently, one per direction.
/// Mirrors k8s.io/client-go tools/remotecommand (websocket.go, v5 protocol) as a client of the kubelet.
/// </summary>
internal sealed class RemoteExecSession : IDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _sendGate = new(1, 1);

    private RemoteExecSession(ClientWebSocket socket) => _socket = socket;

    /// <summary>Opens the WebSocket; a refused upgrade becomes the ApiException the agent's reply code stands for.</summary>
    public static async Task<RemoteExecSession> ConnectAsync(Uri uri, KubeletEndpoint endpoint, string token, string node,
        CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = endpoint.Validator();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        socket.Options.AddSubProtocol(ChannelProtocol.V5.Name);
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            await socket.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
            return new RemoteExecSession(socket);
        }
        catch (WebSocketException e)
        {
            var code = (int)socket.HttpStatusCode;
            socket.Dispose();
            throw code is >= 400 and < 500
                ? new ApiException(code, StatusReason.BadRequest, $"the node agent of node \"{node}\" refused the exec request ({code})")
                : new ApiException(503, StatusReason.ServiceUnavailable, $"error dialing the node agent of node \"{node}\": {e.Message}");
        }
    }

    /// <summary>Relays until the agent closes the socket; returns the command's exit code.</summary>
    public async Task<int> RunAsync(IExecStreams streams, CancellationToken cancellationToken)
    {
        using var pumps = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var upload = Task.WhenAll(PumpStdinAsync(streams.Stdin, pumps.Token), PumpResizeAsync(streams, pumps.Token));
        JsonObject? status;
        try
        {
            status = await ReceiveAsync(streams, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await pumps.CancelAsync().ConfigureAwait(false);
            await upload.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        return ExitCodeOf(status);
    }

    public void Dispose()
    {
        _socket.Dispose();
        _sendGate.Dispose();
    }

    private static int ExitCodeOf(JsonObject? status)
    {
        if (status is null)
        {
            throw ApiErrors.Internal("the node agent ended the exec session without a status");
        }
        if (status.GetString("status") == "Success")
        {
            return 0;
        }
        if (status.GetString("reason") == "NonZeroExitCode"
            && status.GetArray("details", "causes")?.OfType<JsonObject>().FirstOrDefault(c => c.GetString("reason") == "ExitCode") is { } cause
            && int.TryParse(cause.GetString("message"), System.Globalization.CultureInfo.InvariantCulture, out var code))
        {
            return code;
        }
        throw KubeletReply.FromStatus(status, 500);
    }

    /// <summary>Reads whole messages; stdout/stderr go to the client, the status is kept. Ends at the agent's close.</summary>
    private async Task<JsonObject?> ReceiveAsync(IExecStreams streams, CancellationToken cancellationToken)
    {
        JsonObject? status = null;
        var message = new ArrayBufferWriter<byte>();
        while (true)
        {
            message.Clear();
            ValueWebSocketReceiveResult result;
            do
            {
                result = await _socket.ReceiveAsync(message.GetMemory(16 * 1024), cancellationToken).ConfigureAwait(false);
                message.Advance(result.Count);
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await CloseQuietlyAsync().ConfigureAwait(false);
                return status;
            }
            if (!ChannelProtocol.V5.TryDecode(message.WrittenMemory, out var channel, out var payload))
            {
                continue;
            }
            switch (channel)
            {
                case ChannelProtocol.StdoutChannel when streams.Stdout is { } stdout:
                    await stdout.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
                    break;
                case ChannelProtocol.StderrChannel when streams.Stderr is { } stderr:
                    await stderr.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
                    break;
                case ChannelProtocol.StatusChannel:
                    status = JsonNode.Parse(payload.Span) as JsonObject;
                    break;
            }
        }
    }

    private async Task PumpStdinAsync(Stream? stdin, CancellationToken cancellationToken)
    {
        if (stdin is null)
        {
            return;
        }
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await stdin.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await SendAsync(ChannelProtocol.StdinChannel, buffer.AsSpan(0, read).ToArray(), cancellationToken).ConfigureAwait(false);
        }
        await SendAsync(ChannelProtocol.CloseChannel, [ChannelProtocol.StdinChannel], cancellationToken).ConfigureAwait(false);
    }

    private async Task PumpResizeAsync(IExecStreams streams, CancellationToken cancellationToken)
    {
        await foreach (var size in streams.ResizeEventsAsync(cancellationToken).ConfigureAwait(false))
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["Width"] = size.Width, ["Height"] = size.Height });
            await SendAsync(ChannelProtocol.ResizeChannel, json, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One framed message; sends are serialized (a WebSocket allows one sender at a time).</summary>
    private async Task SendAsync(byte channel, byte[] data, CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(ChannelProtocol.V5.Encode(channel, data), WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    private async Task CloseQuietlyAsync()
    {
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
        {
            // The agent already went away; nothing left to close.
        }
    }
}
