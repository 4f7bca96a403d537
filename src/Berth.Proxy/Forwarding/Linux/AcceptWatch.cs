using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Berth.Proxy.Forwarding.Linux;

/// <summary>
/// A listening socket on a <see cref="RelayLoop"/>: when it is readable, queued connections are accepted
/// (non-blocking) and handed to the callback on the loop thread, which must not block (the connection handler dials
/// without blocking and attaches a relay to the same loop). <see cref="DisposeAsync"/> takes the socket off the loop,
/// then closes it, so later clients are refused.
/// </summary>
internal sealed class AcceptWatch(Socket listener, Action<Socket> accepted, RelayLoop loop) : IRelayMember, IAsyncDisposable
{
    private const int AcceptsPerWakeUp = 16;
    private readonly TaskCompletionSource _detached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SocketWatch _watch;
    private int _slot = -1;

    public void Start(RelayLoop owner, int slot)
    {
        _slot = slot;
        _watch = new SocketWatch((int)listener.Handle, RelayLoop.DataOf(slot, 0));
        if (!owner.Watch(ref _watch, Epoll.In))
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

    public async ValueTask DisposeAsync()
    {
        loop.Abort(this);
        await _detached.Task.ConfigureAwait(false);
        listener.Dispose();
    }
}
