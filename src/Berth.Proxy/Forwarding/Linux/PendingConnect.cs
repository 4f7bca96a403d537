using System.Net.Sockets;

namespace Berth.Proxy.Forwarding.Linux;

/// <summary>
/// A non-blocking connect in progress on a <see cref="RelayLoop"/>: the socket is watched for writability, then
/// SO_ERROR tells how the connect ended. <see cref="Result"/> completes on the loop thread, so its continuation
/// (the dialer) runs there and must not block. <see cref="Abort"/> (timeout, shutdown) completes it with
/// <see cref="SocketError.OperationAborted"/> after the socket left epoll; the socket is never closed here.
/// </summary>
internal sealed class PendingConnect(Socket socket) : IRelayMember
{
    private readonly TaskCompletionSource<SocketError> _result = new();
    private SocketWatch _watch;
    private RelayLoop? _loop;
    private int _slot = -1;

    /// <summary>How the connect ended: <see cref="SocketError.Success"/> when the socket is connected.</summary>
    public Task<SocketError> Result => _result.Task;

    public void Start(RelayLoop loop, int slot)
    {
        (_loop, _slot) = (loop, slot);
        _watch = new SocketWatch((int)socket.Handle, RelayLoop.DataOf(slot, 0));
        if (!loop.Watch(ref _watch, Epoll.Out))
        {
            Complete(SocketError.SocketError);
        }
    }

    public void OnEvents(int side, uint events)
    {
        var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
        Complete(error == SocketError.Success && (events & (Epoll.Err | Epoll.Hup)) != 0 ? SocketError.ConnectionRefused : error);
    }

    public void Abort() => Complete(SocketError.OperationAborted);

    private void Complete(SocketError error)
    {
        if (_result.Task.IsCompleted)
        {
            return;
        }
        if (_slot >= 0)
        {
            _loop!.Watch(ref _watch, 0);
            _loop.Detach(_slot);
            _slot = -1;
        }
        _result.TrySetResult(error);
    }
}
