using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Berth.Proxy.Forwarding.Linux;

/// <summary>
/// A listening socket on one <see cref="RelayLoop"/> (each loop of a forwarder has one per listener, registered with
/// EPOLLEXCLUSIVE so a new connection wakes one loop): when it is readable, queued connections are accepted
/// (non-blocking; another loop may have taken them already) and handed to the callback on the loop thread, which
/// must not block (the connection handler dials without blocking and attaches a relay to the same loop).
/// <see cref="DetachAsync"/> takes the socket off the loop; the socket is closed by <see cref="SharedListener"/>.
/// </summary>
internal sealed class AcceptWatch(Socket listener, Action<Socket> accepted, RelayLoop loop) : IRelayMember
{
    private const int AcceptsPerWakeUp = 16;
    private readonly TaskCompletionSource _detached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SocketWatch _watch;
    private int _slot = -1;

    public void Start(RelayLoop owner, int slot)
    {
        _slot = slot;
        _watch = new SocketWatch((int)listener.Handle, RelayLoop.DataOf(slot, 0));
        if (!owner.Watch(ref _watch, Epoll.In | Epoll.Exclusive))
        {
            Abort();
        }
    }

    public void OnEvents(int side, uint events)
    {
        for (var i = 0; i < AcceptsPerWakeUp; i++)
        {
            var fd = Epoll.Accept((int)listener.Handle);
            if (fd < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno is Epoll.EINTR or Epoll.ECONNABORTED)
                {
                    continue;
                }
                return;
            }
            accepted(new Socket(new SafeSocketHandle(fd, ownsHandle: true)));
        }
    }

    public void Abort()
    {
        if (_slot >= 0)
        {
            loop.Watch(ref _watch, 0);
            loop.Detach(_slot);
            _slot = -1;
        }
        _detached.TrySetResult();
    }

    /// <summary>Attaches the watch to its loop; called once.</summary>
    public void Attach() => loop.Attach(this);

    /// <summary>Takes the listener off the loop; completes once the loop no longer watches it.</summary>
    public Task DetachAsync()
    {
        loop.Abort(this);
        return _detached.Task;
    }
}
