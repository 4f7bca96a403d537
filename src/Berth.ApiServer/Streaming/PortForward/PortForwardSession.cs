using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Streaming.PortForward;

/// <summary>
/// The server side of one <c>kubectl port-forward</c> SPDY/3 session over an upgraded connection (raw, or the byte
/// stream inside a WebSocket): answers every SYN_STREAM, pairs each <c>requestid</c>'s error and data streams into a
/// <see cref="PortForwardConnection"/> to the pod's IP, routes data frames, echoes PINGs, and ends on GOAWAY, end of
/// stream or a protocol error (after which every connection is reset).
/// </summary>
/// <remarks>
/// Mirrors the kubelet's SPDY port-forward handler (kubernetes/kubernetes pkg/kubelet/cri/streaming/portforward/
/// httpstream.go): streams carry <c>streamtype</c> (error|data), <c>port</c> and <c>requestid</c> headers; a client
/// without <c>requestid</c> pairs an error stream with the data stream two ids later. One reader loop; not reusable.
/// </remarks>
internal sealed partial class PortForwardSession(Stream transport, IPAddress podIp, string podDescription, ILogger logger)
{
    private static readonly TimeSpan DialTimeout = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, PendingPair> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, PortForwardConnection> _byStream = [];
    private readonly List<Task> _running = [];

    /// <summary>Serves the session until the client ends it or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var codec = new SpdyHeaderCodec();
        using var writer = new SpdyFrameWriter(transport, codec);
        var reader = new SpdyFrameReader(transport);
        try
        {
            while (await reader.ReadAsync(session.Token).ConfigureAwait(false) is { } frame)
            {
                if (!await HandleAsync(frame, codec, writer, session.Token).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        catch (InvalidDataException e)
        {
            Log.ProtocolError(logger, podDescription, e.Message);
            await TryAsync(writer.WriteGoAwayAsync(0, SpdyFrameWriter.ProtocolError, session.Token)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or WebSocketException or OperationCanceledException)
        {
            // The client went away (kubectl 1.31+ tunnels SPDY in a WebSocket: its abrupt close is a WebSocketException).
        }
        await session.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running).ConfigureAwait(false);
    }

    /// <summary>Handles one frame; false ends the session (GOAWAY).</summary>
    private async Task<bool> HandleAsync(SpdyFrame frame, SpdyHeaderCodec codec, SpdyFrameWriter writer, CancellationToken token)
    {
        if (!frame.IsControl)
        {
            await OnDataAsync(frame, writer, token).ConfigureAwait(false);
            return true;
        }
        switch (frame.Type)
        {
            case SpdyControlType.SynStream:
                await OnSynStreamAsync(frame, codec, writer, token).ConfigureAwait(false);
                break;
            case SpdyControlType.RstStream:
                Forget(frame.StreamId)?.Reset();
                break;
            case SpdyControlType.Ping:
                await writer.WritePingAsync(frame.Payload, token).ConfigureAwait(false);
                break;
            case SpdyControlType.GoAway:
                return false;
            case SpdyControlType.Headers:
                codec.Decode(frame.Payload.AsSpan(4));
                break;
            default:
                // SETTINGS and WINDOW_UPDATE: kubectl's flow control is advisory, nothing to do.
                break;
        }
        return true;
    }

    private async Task OnSynStreamAsync(SpdyFrame frame, SpdyHeaderCodec codec, SpdyFrameWriter writer, CancellationToken token)
    {
        if (frame.Payload.Length < 10)
        {
            throw new InvalidDataException("short SYN_STREAM");
        }
        // Stream id, associated stream id, priority and slot come before the header block (draft 3, §2.6.1).
        var headers = codec.Decode(frame.Payload.AsSpan(10));
        await writer.WriteSynReplyAsync(frame.StreamId, token).ConfigureAwait(false);
        headers.TryGetValue("streamtype", out var type);
        if (type is not ("error" or "data") || !TryParsePort(headers, out var port))
        {
            await writer.WriteRstStreamAsync(frame.StreamId, SpdyFrameWriter.ProtocolError, token).ConfigureAwait(false);
            return;
        }
        var isError = type == "error";
        var requestId = headers.TryGetValue("requestid", out var id) ? id : (isError ? frame.StreamId : frame.StreamId - 2).ToString(CultureInfo.InvariantCulture);
        var pair = _pending.TryGetValue(requestId, out var found) ? found : new PendingPair(port);
        pair = isError ? pair with { ErrorStream = frame.StreamId } : pair with { DataStream = frame.StreamId };
        if (pair.ErrorStream is not { } errorStream || pair.DataStream is not { } dataStream)
        {
            _pending[requestId] = pair;
            return;
        }
        _pending.Remove(requestId);
        var connection = new PortForwardConnection(errorStream, dataStream, new IPEndPoint(podIp, pair.Port), podDescription, writer, token);
        _byStream[errorStream] = connection;
        _byStream[dataStream] = connection;
        _running.RemoveAll(t => t.IsCompleted);
        _running.Add(Task.Run(() => connection.RunAsync(DialTimeout), CancellationToken.None));
    }

    private async Task OnDataAsync(SpdyFrame frame, SpdyFrameWriter writer, CancellationToken token)
    {
        if (!_byStream.TryGetValue(frame.StreamId, out var connection))
        {
            // Bytes on an error stream that was never paired, or after a reset: nothing to forward them to.
            if (frame.Payload.Length > 0 && !IsPendingStream(frame.StreamId))
            {
                await writer.WriteRstStreamAsync(frame.StreamId, SpdyFrameWriter.InvalidStream, token).ConfigureAwait(false);
            }
            return;
        }
        if (frame.StreamId != connection.DataStream)
        {
            return; // The client half-closes its error stream; it never sends bytes on it.
        }
        if (frame.Payload.Length > 0)
        {
            await connection.Deliver(frame.Payload).ConfigureAwait(false);
        }
        if (frame.IsFin)
        {
            connection.ClientFinished();
        }
    }

    private PortForwardConnection? Forget(uint streamId)
    {
        if (!_byStream.Remove(streamId, out var connection))
        {
            return null;
        }
        _byStream.Remove(connection.ErrorStream);
        _byStream.Remove(connection.DataStream);
        return connection;
    }

    private bool IsPendingStream(uint streamId) =>
        _pending.Values.Any(p => p.ErrorStream == streamId || p.DataStream == streamId);

    private static bool TryParsePort(Dictionary<string, string> headers, out int port) =>
        int.TryParse(headers.GetValueOrDefault("port"), NumberStyles.None, CultureInfo.InvariantCulture, out port)
        && port is > 0 and <= 65535;

    private static async Task TryAsync(Task write)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone.
        }
    }

    /// <summary>The streams of one <c>requestid</c> seen so far.</summary>
    private sealed record PendingPair(int Port, uint? ErrorStream = null, uint? DataStream = null);

    private static partial class Log
    {
        [LoggerMessage(EventId = 7110, EventName = "PortForwardProtocolError", Level = LogLevel.Warning,
            Message = "Port-forward session to pod {Pod} ended on a SPDY protocol error: {Reason}")]
        public static partial void ProtocolError(ILogger logger, string pod, string reason);
    }
}
