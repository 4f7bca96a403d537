using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Berth.Proxy.Metrics;
using Microsoft.Extensions.Logging;

namespace Berth.Proxy.Forwarding.Linux;

/// <summary>
/// Dials and copies on a <see cref="RelayLoop"/>: a non-blocking connect watched by the loop (so the dialer resumes
/// on the loop thread, without a dispatch), then a <see cref="Relay"/>. The sockets are switched to non-blocking
/// mode and never touched by the runtime's async engine. Linux only. Thread-safe.
/// </summary>
public sealed class EventLoopForwarder : IForwarder
{
    private readonly RelayLoop _loop;
    private readonly TimeProvider _time;

    public EventLoopForwarder(int bufferSize, TimeProvider time, ILogger logger)
    {
        _loop = new RelayLoop(bufferSize, logger);
        _time = time;
    }

    public async Task<SocketError> ConnectAsync(Socket socket, IPEndPoint address, TimeSpan timeout, CancellationToken cancellationToken)
    {
        socket.Blocking = false;
        var native = address.Serialize();
        if (Epoll.Connect((int)socket.Handle, native.Buffer.Span[..native.Size]) == 0)
        {
            return SocketError.Success;
        }
        var errno = Marshal.GetLastPInvokeError();
        if (errno != Epoll.EINPROGRESS)
        {
            return ConnectError(errno);
        }
        // A loopback handshake has usually finished by now: check before involving the loop and a timer.
        if (socket.Poll(0, SelectMode.SelectWrite) || socket.Poll(0, SelectMode.SelectError))
        {
            return (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
        }
        var pending = new PendingConnect(socket);
        _loop.Attach(pending);
        try
        {
            return await pending.Result.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            _loop.Abort(pending);
            await pending.Result.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return SocketError.TimedOut;
        }
    }

    /// <summary>The relay ends on <see cref="AbortAll"/>, which the proxy calls when it stops, not on the token.</summary>
    public async Task RelayAsync(Socket client, Socket backend, EndpointStats stats, CancellationToken cancellationToken)
    {
        client.Blocking = false;
        var relay = new Relay(client, backend, stats);
        _loop.Attach(relay);
        await relay.Completion.ConfigureAwait(false);
    }

    public IAsyncDisposable Accept(Socket listener, Action<Socket> accepted)
    {
        listener.Blocking = false;
        var watch = new AcceptWatch(listener, accepted, _loop);
        _loop.Attach(watch);
        return watch;
    }

    public void AbortAll() => _loop.AbortAll();

    private static SocketError ConnectError(int errno) => errno switch
    {
        111 => SocketError.ConnectionRefused,
        101 => SocketError.NetworkUnreachable,
        113 => SocketError.HostUnreachable,
        99 => SocketError.AddressNotAvailable,
        _ => SocketError.SocketError,
    };

    public void Dispose() => _loop.Dispose();
}
