using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace Berth.ApiServer.Streaming.PortForward;

/// <summary>
/// One forwarded TCP connection of a port-forward session: the client's error and data streams for one
/// <c>requestid</c>, and the socket to the pod's port. Created when both streams exist; dials, then copies bytes both
/// ways: data frames from the client go to the pod in order (through a bounded queue, so a pod that stops reading
/// holds up only the session's reader, after the queue fills), and the pod's bytes go back as data frames.
/// </summary>
/// <remarks>
/// Mirrors the kubelet's port-forward stream pairs (kubernetes/kubernetes pkg/kubelet/cri/streaming/portforward/
/// httpstream.go). The session calls <see cref="Deliver"/>, <see cref="ClientFinished"/> and <see cref="Reset"/> from
/// its single reader; <see cref="RunAsync"/> runs on its own task and never throws (errors go to the error stream).
/// </remarks>
internal sealed class PortForwardConnection(uint errorStream, uint dataStream, IPEndPoint target, string podDescription,
    SpdyFrameWriter writer, CancellationToken sessionToken)
{
    private readonly Channel<byte[]> _toPod = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(64) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _reset = CancellationTokenSource.CreateLinkedTokenSource(sessionToken);

    public uint DataStream => dataStream;

    public uint ErrorStream => errorStream;

    /// <summary>
    /// Queues bytes the client sent on the data stream (called by the session's reader, in frame order). Bytes that
    /// arrive after the connection ended, or after the client's own FIN, are dropped.
    /// </summary>
    public async ValueTask Deliver(byte[] data)
    {
        try
        {
            await _toPod.Writer.WriteAsync(data, _reset.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ObjectDisposedException or ChannelClosedException or OperationCanceledException)
        {
            // The connection is over; the client learns it from the streams' FIN.
        }
    }

    /// <summary>The client half-closed the data stream: the pod's side gets a FIN after the queued bytes.</summary>
    public void ClientFinished() => _toPod.Writer.TryComplete();

    /// <summary>The client reset a stream or the session ended: the socket is closed at once.</summary>
    public void Reset()
    {
        try
        {
            _reset.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection has already ended.
        }
    }

    /// <summary>Dials, relays until both directions ended or a reset, then closes the streams and the socket.</summary>
    public async Task RunAsync(TimeSpan dialTimeout)
    {
        using var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using (var dial = CancellationTokenSource.CreateLinkedTokenSource(_reset.Token))
            {
                dial.CancelAfter(dialTimeout);
                await socket.ConnectAsync(target, dial.Token).ConfigureAwait(false);
            }
            var toPod = PumpToPodAsync(socket);
            await PumpToClientAsync(socket).ConfigureAwait(false);
            // kubectl waits for the error stream to end once the pod's side has ended, then resets the data stream.
            await writer.WriteDataAsync(errorStream, ReadOnlyMemory<byte>.Empty, fin: true, sessionToken).ConfigureAwait(false);
            await toPod.ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException or WebSocketException)
        {
            await ReportAsync(e).ConfigureAwait(false);
        }
        finally
        {
            // Stops the pod-bound pump if it still waits for the client (the socket is closed on return).
            await _reset.CancelAsync().ConfigureAwait(false);
            _reset.Dispose();
        }
    }

    private async Task PumpToClientAsync(Socket socket)
    {
        var buffer = new byte[SpdyFrameWriter.MaxDataFrame];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, _reset.Token).ConfigureAwait(false)) > 0)
        {
            await writer.WriteDataAsync(dataStream, buffer.AsMemory(0, read), fin: false, _reset.Token).ConfigureAwait(false);
        }
        await writer.WriteDataAsync(dataStream, ReadOnlyMemory<byte>.Empty, fin: true, _reset.Token).ConfigureAwait(false);
    }

    /// <summary>Ends when the client finished (the pod gets a FIN) or reset the stream; never throws.</summary>
    private async Task PumpToPodAsync(Socket socket)
    {
        try
        {
            await foreach (var data in _toPod.Reader.ReadAllAsync(_reset.Token).ConfigureAwait(false))
            {
                await socket.SendAsync(data, SocketFlags.None, _reset.Token).ConfigureAwait(false);
            }
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A reset, or the pod closed the connection: the other direction reports what matters.
        }
    }

    /// <summary>Tells the client why the connection failed (kubectl prints it), unless the session itself is over.</summary>
    private async Task ReportAsync(Exception error)
    {
        if (sessionToken.IsCancellationRequested || _reset.IsCancellationRequested)
        {
            return;
        }
        var message = PortForwardErrors.Message(target, podDescription, error);
        try
        {
            await writer.WriteDataAsync(errorStream, Encoding.UTF8.GetBytes(message), fin: true, sessionToken).ConfigureAwait(false);
            await writer.WriteDataAsync(dataStream, ReadOnlyMemory<byte>.Empty, fin: true, sessionToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone as well.
        }
    }
}
