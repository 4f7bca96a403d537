namespace Berth.ApiServer.Streaming;

/// <summary>
/// The client side of one exec session, as the protocol layer (WebSocket channels today, SPDY streams or a proxied
/// node connection later) presents it to an <see cref="IPodStreamingBackend"/>.
/// </summary>
/// <remarks>
/// Protocol: the backend validates the request first (any <c>ApiException</c> thrown before
/// <see cref="AcceptAsync"/> becomes a plain HTTP Status reply, so kubectl prints it), then calls
/// <see cref="AcceptAsync"/> exactly once, and only then starts the command and touches the streams. The streams are
/// null unless requested (<see cref="Stderr"/> is always null with a tty). The protocol layer reports the outcome
/// (exit code or error) to the client after the backend returns; the backend never writes a status itself.
/// Streams may be used from different threads, one reader/writer per stream.
/// </remarks>
public interface IExecStreams
{
    /// <summary>
    /// Completes the protocol handshake (e.g. the 101 WebSocket upgrade). Throws <c>ApiException</c> when the
    /// protocol cannot be served (e.g. a SPDY request); the backend must then not start the command.
    /// </summary>
    Task AcceptAsync(CancellationToken cancellationToken);

    /// <summary>Bytes the client types; reading returns 0 once the client closed stdin (or disconnected).</summary>
    Stream? Stdin { get; }

    /// <summary>The command's stdout (with a tty: the terminal output). Writes are framed and sent at once.</summary>
    Stream? Stdout { get; }

    /// <summary>The command's stderr; null with a tty.</summary>
    Stream? Stderr { get; }

    /// <summary>
    /// Terminal size changes in arrival order, completed when the client disconnects; without a tty nothing arrives.
    /// </summary>
    IAsyncEnumerable<TerminalSize> ResizeEventsAsync(CancellationToken cancellationToken);
}
