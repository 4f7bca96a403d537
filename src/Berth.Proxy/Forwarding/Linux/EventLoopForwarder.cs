using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Berth.Proxy.Metrics;
using Microsoft.Extensions.Logging;

namespace Berth.Proxy.Forwarding.Linux;

/// <summary>
/// Dials and copies on <see cref="RelayLoop"/>s (<see cref="ProxyOptions.RelayLoops"/>): every listener is watched by every
/// loop with an exclusive wake-up, so the kernel hands a new connection to one idle loop, which accepts it, dials
/// (a non-blocking connect, usually finished at once on loopback) and relays it, all on its own thread. A connection
/// stays on its loop, so a preempted loop thread stalls only its share. The sockets are switched to non-blocking
/// mode and never touched by the runtime's async engine. Linux only. Thread-safe.
/// </summary>
public sealed class EventLoopForwarder : IForwarder
{
    private readonly RelayLoop[] _loops;
    private readonly TimeProvider _time;
    private int _next;

    public EventLoopForwarder(int loops, RelayLoopSettings settings, TimeProvider time, ILogger logger)
    {
        _loops = [.. Enumerable.Range(0, Math.Max(1, loops)).Select(_ => new RelayLoop(settings, time, logger))];
        _time = time;
    }

    /// <summary>The loop of the calling thread when it is one of ours (the connection was accepted there), else the next one.</summary>
    private RelayLoop Pick()
    {
        if (RelayLoop.Current is { } current && Array.IndexOf(_loops, current) >= 0)
        {
            return current;
        }
        return _loops[(int)((uint)Interlocked.Increment(ref _next) % (uint)_loops.Length)];
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
        var loop = Pick();
        loop.Attach(pending);
        try
        {
            return await pending.Result.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            loop.Abort(pending);
            await pending.Result.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return SocketError.TimedOut;
        }
    }

    /// <summary>
    /// The relay ends on <see cref="AbortAll"/>, which the proxy calls when it stops, not on the token. The returned task
    /// completes on the loop thread, so the caller's continuation runs there and must not block.
    /// </summary>
    public async Task RelayAsync(Socket client, Socket backend, EndpointStats stats, CancellationToken cancellationToken)
    {
        // Sockets accepted by a loop are non-blocking already (accept4); setting it again would cost two fcntl calls.
        if (client.Blocking)
        {
            client.Blocking = false;
        }
        var relay = new Relay(client, backend, stats);
        Pick().Attach(relay);
        await relay.Completion.ConfigureAwait(false);
    }

    public IAsyncDisposable Accept(Socket listener, Action<Socket> accepted)
    {
        listener.Blocking = false;
        return new SharedListener(listener, [.. _loops.Select(loop => new AcceptWatch(listener, accepted, loop))]);
    }

    public void AbortAll()
    {
        foreach (var loop in _loops)
        {
            loop.AbortAll();
        }
    }

    private static SocketError ConnectError(int errno) => errno switch
    {
        111 => SocketError.ConnectionRefused,
        101 => SocketError.NetworkUnreachable,
        113 => SocketError.HostUnreachable,
        99 => SocketError.AddressNotAvailable,
        _ => SocketError.SocketError,
    };

    public void Dispose()
    {
        foreach (var loop in _loops)
        {
            loop.Dispose();
        }
    }
}
