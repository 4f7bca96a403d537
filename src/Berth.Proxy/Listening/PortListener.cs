using System.Net;
using System.Net.Sockets;
using Berth.Proxy.Forwarding;
using Berth.Proxy.Model;

namespace Berth.Proxy.Listening;

/// <summary>
/// One listening socket (a ClusterIP:port or a NodePort) of one service port, with its accept loop. Open only while
/// the port has usable endpoints: closing it makes new clients get ECONNREFUSED, as kube-proxy's REJECT rule does.
/// <see cref="Open"/> binds synchronously (throws <see cref="SocketException"/> when the address is taken);
/// <see cref="DisposeAsync"/> closes the socket and waits for the accept loop, leaving accepted connections running.
/// </summary>
public sealed class PortListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly ConnectionHandler _handler;
    private Task _acceptLoop = Task.CompletedTask;
    private volatile bool _closed;

    private PortListener(IPEndPoint address, ServicePortName owner, ConnectionHandler handler, Socket socket)
    {
        Address = address;
        Owner = owner;
        _handler = handler;
        _socket = socket;
    }

    public IPEndPoint Address { get; }

    /// <summary>The service port whose connections this listener accepts.</summary>
    public ServicePortName Owner { get; }

    public static PortListener Open(IPEndPoint address, ServicePortName owner, ConnectionHandler handler, int backlog)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(address);
            socket.Listen(backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var listener = new PortListener(address, owner, handler, socket);
        listener._acceptLoop = Task.Run(listener.AcceptLoopAsync);
        return listener;
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException && _closed)
            {
                return;
            }
            catch (SocketException)
            {
                // A connection that failed while queued (e.g. reset by its client); keep accepting.
                continue;
            }
            _handler.Handle(client, Owner);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _closed = true;
        _socket.Dispose();
        await _acceptLoop.ConfigureAwait(false);
    }
}
