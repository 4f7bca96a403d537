using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Streaming.WebSockets;

internal sealed partial class ChannelWebSocketSession
{
    /// <summary>Largest client message accepted (stdin chunks are small; this only bounds memory).</summary>
    private const int MaxMessageSize = 4 * 1024 * 1024;

    // Runs until the client closes or the socket fails; never throws. Ends stdin and the resize stream either way.
    private async Task ReceiveLoopAsync(WebSocket socket)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (true)
            {
                buffer.ResetWrittenCount();
                if (!await ReceiveMessageAsync(socket, buffer).ConfigureAwait(false))
                {
                    break;
                }
                await DispatchAsync(buffer.WrittenMemory).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            Log.ReceiveEnded(_logger, e.GetType().Name);
        }
        finally
        {
            CloseStdin();
            _resizes.Writer.TryComplete();
            if (!_completing)
            {
                await _aborted.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads one whole message into <paramref name="buffer"/>; false when the client sent a close frame.</summary>
    private static async Task<bool> ReceiveMessageAsync(WebSocket socket, ArrayBufferWriter<byte> buffer)
    {
        while (true)
        {
            var segment = buffer.GetMemory(8 * 1024);
            var result = await socket.ReceiveAsync(segment, CancellationToken.None).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return false;
            }
            buffer.Advance(result.Count);
            if (buffer.WrittenCount > MaxMessageSize)
            {
                throw new WebSocketException(WebSocketError.Faulted, "client message too large");
            }
            if (result.EndOfMessage)
            {
                return true;
            }
        }
    }

    private async Task DispatchAsync(ReadOnlyMemory<byte> message)
    {
        if (!_protocol.TryDecode(message, out var channel, out var payload))
        {
            return;
        }
        switch (channel)
        {
            case ChannelProtocol.StdinChannel when _stdin is not null && !_stdinClosed && !payload.IsEmpty:
                await _stdin.Writer.WriteAsync(payload).ConfigureAwait(false);
                break;
            case ChannelProtocol.ResizeChannel when _tty:
                if (TryParseSize(payload.Span, out var size))
                {
                    _resizes.Writer.TryWrite(size);
                }
                break;
            case ChannelProtocol.CloseChannel when _protocol.SupportsClose && payload.Length > 0 && payload.Span[0] == ChannelProtocol.StdinChannel:
                CloseStdin();
                break;
        }
    }

    /// <summary>Parses <c>{"Width":80,"Height":24}</c>; anything else is ignored, as upstream logs and drops it.</summary>
    internal static bool TryParseSize(ReadOnlySpan<byte> json, out TerminalSize size)
    {
        size = default;
        try
        {
            var reader = new Utf8JsonReader(json);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("Width", out var w) && w.TryGetUInt16(out var width)
                && root.TryGetProperty("Height", out var h) && h.TryGetUInt16(out var height))
            {
                size = new TerminalSize(width, height);
                return true;
            }
        }
        catch (JsonException)
        {
            // Malformed resize message: ignored.
        }
        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7111, EventName = "ExecReceiveEnded", Level = LogLevel.Debug,
            Message = "Exec session receive loop ended: {Reason}")]
        public static partial void ReceiveEnded(ILogger logger, string reason);

        [LoggerMessage(EventId = 7112, EventName = "ExecCloseIncomplete", Level = LogLevel.Debug,
            Message = "Exec session close handshake did not complete: {Reason}")]
        public static partial void CloseIncomplete(ILogger logger, string reason);
    }
}
