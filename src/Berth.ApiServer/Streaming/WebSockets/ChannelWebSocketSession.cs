using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Streaming.WebSockets;

/// <summary>
/// One exec or attach session over a WebSocket speaking a Kubernetes channel protocol (<see cref="ChannelProtocol"/>): the
/// <see cref="IExecStreams"/> a backend uses. <see cref="AcceptAsync"/> sends the 101, starts the receive loop (stdin
/// into a pipe, resize events into a channel, the v5 close signal ends stdin) and sends the empty "connected" message
/// upstream's server sends on the lowest writable channel. <see cref="CompleteAsync"/> writes the one Status message
/// and closes with 1000, after which kubectl exits.
/// </summary>
/// <remarks>
/// Sends are serialised (one message at a time, any thread). When the client disconnects or closes the socket
/// before the status was sent, <see cref="Aborted"/> fires so the backend kills the command. Mirrors
/// k8s.io/apiserver pkg/util/wsstream/conn.go and kubernetes/kubernetes pkg/kubelet/cri/streaming/remotecommand/websocket.go.
/// </remarks>
internal sealed partial class ChannelWebSocketSession : IExecStreams, IAsyncDisposable
{
    /// <summary>How long the close handshake may take after the status was sent.</summary>
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);

    private readonly HttpContext _context;
    private readonly ChannelProtocol _protocol;
    private readonly bool _stdout;
    private readonly bool _tty;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Pipe? _stdin;
    private readonly Channel<TerminalSize> _resizes = Channel.CreateUnbounded<TerminalSize>(new() { SingleReader = true });
    private readonly CancellationTokenSource _aborted;
    private WebSocket? _socket;
    private Task _receiveLoop = Task.CompletedTask;
    private volatile bool _completing;
    private bool _stdinClosed;

    /// <param name="streams">The streams the request asked for (pods/exec or pods/attach); a tty drops stderr.</param>
    public ChannelWebSocketSession(HttpContext context, ChannelProtocol protocol,
        (bool Stdin, bool Stdout, bool Stderr, bool Tty) streams, TimeProvider time, ILogger logger)
    {
        (_context, _protocol, _stdout, _tty, _time, _logger) = (context, protocol, streams.Stdout, streams.Tty, time, logger);
        _aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        if (streams.Stdin)
        {
            _stdin = new Pipe(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024));
            Stdin = _stdin.Reader.AsStream();
        }
        Stdout = streams.Stdout ? new ChannelOutputStream(this, ChannelProtocol.StdoutChannel) : null;
        Stderr = streams.Stderr && !streams.Tty ? new ChannelOutputStream(this, ChannelProtocol.StderrChannel) : null;
    }

    /// <summary>Fires when the client went away or closed the socket before the session completed.</summary>
    public CancellationToken Aborted => _aborted.Token;

    /// <summary>True once the 101 was sent: from then on errors go on the status channel.</summary>
    public bool Accepted => _socket is not null;

    public Stream? Stdin { get; }

    public Stream? Stdout { get; }

    public Stream? Stderr { get; }

    public async Task AcceptAsync(CancellationToken cancellationToken)
    {
        if (_socket is not null)
        {
            throw new InvalidOperationException("The exec session was already accepted.");
        }
        _socket = await WebSocketHandshake.AcceptAsync(_context, _protocol.Name, KeepAlive).ConfigureAwait(false);
        _receiveLoop = Task.Run(() => ReceiveLoopAsync(_socket), CancellationToken.None);
        var first = _stdout ? ChannelProtocol.StdoutChannel
            : Stderr is not null ? ChannelProtocol.StderrChannel : ChannelProtocol.StatusChannel;
        await SendAsync(first, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
    }

    public IAsyncEnumerable<TerminalSize> ResizeEventsAsync(CancellationToken cancellationToken) =>
        _resizes.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Sends one message on <paramref name="channel"/>; <see cref="IOException"/> once the client is gone.</summary>
    public async Task SendAsync(byte channel, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var socket = _socket ?? throw new InvalidOperationException("The exec session has not been accepted.");
        var message = _protocol.Encode(channel, data.Span);
        var type = _protocol.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(message, type, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
        {
            throw new IOException("the exec client disconnected", e);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Sends <paramref name="status"/> on the status channel and closes the socket normally, waiting (bounded) for the
    /// client's close. A client that is already gone is not an error.
    /// </summary>
    public async Task CompleteAsync(JsonObject status)
    {
        _completing = true;
        // The backend is done with stdin: a receive loop blocked on a full stdin pipe must be able to finish.
        _stdin?.Reader.Complete();
        if (_socket is not { } socket)
        {
            return;
        }
        using var timeout = new CancellationTokenSource(CloseTimeout, _time);
        try
        {
            await SendAsync(ChannelProtocol.StatusChannel, System.Text.Encoding.UTF8.GetBytes(status.ToJsonString()), timeout.Token).ConfigureAwait(false);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            await _receiveLoop.WaitAsync(CloseTimeout, _time).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or WebSocketException or OperationCanceledException or TimeoutException)
        {
            Log.CloseIncomplete(_logger, e.GetType().Name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stdin?.Reader.Complete();
        _resizes.Writer.TryComplete();
        _socket?.Abort();
        _socket?.Dispose();
        await _receiveLoop.ConfigureAwait(false);
        _aborted.Dispose();
        _sendLock.Dispose();
    }

    // Called on the receive loop only (client close signal, close frame or failure); idempotent.
    private void CloseStdin()
    {
        if (_stdin is not null && !_stdinClosed)
        {
            _stdinClosed = true;
            _stdin.Writer.Complete();
        }
    }
}
