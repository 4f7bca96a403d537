using Berth.Machinery.Errors;

namespace Berth.ApiServer.Streaming;

/// <summary>
/// The <see cref="IExecStreams"/> of a request whose upgrade protocol is not served (SPDY/3.1): the backend still
/// validates the request, so the client sees the same error it would with a WebSocket, and only a valid request
/// reaches <see cref="AcceptAsync"/>, which refuses the protocol.
/// </summary>
internal sealed class RejectedExecStreams(ApiException refusal) : IExecStreams
{
    public Task AcceptAsync(CancellationToken cancellationToken) => Task.FromException(refusal);

    public Stream? Stdin => null;

    public Stream? Stdout => null;

    public Stream? Stderr => null;

    public IAsyncEnumerable<TerminalSize> ResizeEventsAsync(CancellationToken cancellationToken) =>
        AsyncEnumerable.Empty<TerminalSize>();
}
