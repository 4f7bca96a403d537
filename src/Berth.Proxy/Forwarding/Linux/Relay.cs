using System.Net.Sockets;
using Berth.Proxy.Metrics;

namespace Berth.Proxy.Forwarding.Linux;

/// <summary>
/// A proxied connection on a <see cref="RelayLoop"/>: the client (side 0) and backend (side 1) sockets and the two
/// <see cref="RelayDirection"/>s between them. Each socket is watched for reading while its outgoing direction can
/// read, and for writing while its incoming direction holds unwritten bytes. It ends cleanly when both directions
/// forwarded their end of stream, and with a reset of both sides on any socket error or <see cref="Abort"/>; either
/// way both sockets are closed and <see cref="Completion"/> completes (never faults). Loop thread only, except
/// <see cref="Completion"/>.
/// </summary>
/// <remarks>The copy of kube-proxy's removed userspace mode (pkg/proxy/userspace/proxysocket.go ProxyTCP/copyBytes) as an event loop.</remarks>
internal sealed class Relay : IRelayMember
{
    // Continuations run inline on the loop thread: the only awaiter is the connection handler's tail (metrics and a
    // counter), and queueing it would wake a thread-pool worker for every connection that ends.
    private readonly TaskCompletionSource _done = new();
    private readonly Socket _client;
    private readonly Socket _backend;
    private readonly RelayDirection _up;
    private readonly RelayDirection _down;
    private readonly SocketWatch[] _watches = new SocketWatch[2];
    private RelayLoop? _loop;
    private int _slot = -1;
    private bool _ended;

    public Relay(Socket client, Socket backend, EndpointStats stats)
    {
        _client = client;
        _backend = backend;
        _up = new RelayDirection(client, backend, stats, inbound: true);
        _down = new RelayDirection(backend, client, stats, inbound: false);
    }

    /// <summary>Completes once the connection ended and both sockets are closed; its continuations run on the loop thread and must not block.</summary>
    public Task Completion => _done.Task;

    public void Start(RelayLoop loop, int slot)
    {
        (_loop, _slot) = (loop, slot);
        _watches[0] = new SocketWatch((int)_client.Handle, RelayLoop.DataOf(slot, 0));
        _watches[1] = new SocketWatch((int)_backend.Handle, RelayLoop.DataOf(slot, 1));
        // The client usually sent its first bytes while the backend was dialed: forward them without a wait.
        Step(_up.Read(loop.Buffer));
    }

    public void OnEvents(int side, uint events)
    {
        var (reading, writing) = side == 0 ? (_up, _down) : (_down, _up);
        var ok = true;
        if ((events & (Epoll.Out | Epoll.Err | Epoll.Hup)) != 0 && writing.HasPending)
        {
            ok = writing.Flush() && (!writing.WantsRead || writing.Read(_loop!.Buffer));
        }
        if (ok && (events & (Epoll.In | Epoll.Err | Epoll.Hup)) != 0 && reading.WantsRead)
        {
            ok = reading.Read(_loop!.Buffer);
        }
        Step(ok);
    }

    public void Abort()
    {
        if (_ended)
        {
            return;
        }
        ConnectionPump.Abort(_client);
        ConnectionPump.Abort(_backend);
        End();
    }

    private void Step(bool ok)
    {
        if (_ended)
        {
            return;
        }
        if (!ok)
        {
            Abort();
            return;
        }
        if (_up.Finished && _down.Finished)
        {
            _client.Dispose();
            _backend.Dispose();
            End();
            return;
        }
        if (!Watch(0) || !Watch(1))
        {
            Abort();
        }
    }

    private bool Watch(int side)
    {
        var (reading, writing) = side == 0 ? (_up, _down) : (_down, _up);
        var mask = (reading.WantsRead ? Epoll.In : 0) | (writing.HasPending ? Epoll.Out : 0);
        return _loop!.Watch(ref _watches[side], mask);
    }

    private void End()
    {
        _ended = true;
        _up.Release();
        _down.Release();
        if (_slot >= 0)
        {
            _loop!.Detach(_slot);
        }
        _done.TrySetResult();
    }
}
