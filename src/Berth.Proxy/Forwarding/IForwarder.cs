using System.Net;
using System.Net.Sockets;
using Berth.Proxy.Metrics;

namespace Berth.Proxy.Forwarding;

/// <summary>
/// How the proxy accepts, dials a backend and copies a connection's bytes: <see cref="AsyncForwarder"/> (the runtime's
/// async sockets, portable) or <see cref="Linux.EventLoopForwarder"/> (epoll loops of its own, Linux, the default; see
/// <see cref="ProxyOptions.Forwarding"/>). Thread-safe; one per proxy.
/// </summary>
public interface IForwarder : IDisposable
{
    /// <summary>
    /// Connects the fresh <paramref name="socket"/> to <paramref name="address"/>. Returns <see cref="SocketError.Success"/>,
    /// the error, or <see cref="SocketError.TimedOut"/> after <paramref name="timeout"/>; throws
    /// <see cref="OperationCanceledException"/> only for <paramref name="cancellationToken"/>. Never disposes the socket.
    /// Its continuation may run on the forwarder's own thread: callers must not block after awaiting it.
    /// </summary>
    Task<SocketError> ConnectAsync(Socket socket, IPEndPoint address, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Copies bytes both ways until both directions ended (each end of stream forwarded as a half-close) or a side
    /// failed (both then reset), and disposes both sockets. Completes, never faults, when the connection is over.
    /// <paramref name="cancellationToken"/> (proxy shutdown) resets the connection. Its continuation may run on the
    /// forwarder's own thread: callers must not block after awaiting it.
    /// </summary>
    Task RelayAsync(Socket client, Socket backend, EndpointStats stats, CancellationToken cancellationToken);

    /// <summary>
    /// Starts accepting connections of the listening <paramref name="listener"/>, handing each to
    /// <paramref name="accepted"/> (which must not block: it may run on the forwarder's own thread). Disposing the
    /// result stops accepting and closes the listener; connections already accepted keep running.
    /// </summary>
    IAsyncDisposable Accept(Socket listener, Action<Socket> accepted);

    /// <summary>Resets every connection being relayed and every dial under way (proxy shutdown).</summary>
    void AbortAll();
}
