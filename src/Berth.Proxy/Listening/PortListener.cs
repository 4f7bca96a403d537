using System.Net;
using System.Net.Sockets;
using Berth.Proxy.Forwarding;
using Berth.Proxy.Model;

namespace Berth.Proxy.Listening;

/// <summary>
/// One listening socket (a ClusterIP:port or a NodePort) of one service port, with its accept loop. Open only while
/// the port has usable endpoints: closing it makes new clients get ECONNREFUSED, as kube-proxy's REJECT rule does.
/// <see cref="Open"/> binds synchronously (throws <see cref="SocketException"/> when the address is taken) and hands the
/// socket to the forwarder's accept loop; <see cref="DisposeAsync"/> stops it and closes the socket, leaving accepted
/// connections running.
/// </summary>
public sealed class PortListener : IServiceListener
{
    private readonly IAsyncDisposable _accepting;

    private PortListener(IPEndPoint address, ServicePortName owner, IAsyncDisposable accepting)
    {
        Address = address;
        Owner = owner;
        _accepting = accepting;
    }

    public IPEndPoint Address { get; }

    /// <summary>The service port whose connections this listener accepts.</summary>
    public ServicePortName Owner { get; }

    /// <param name="external">True for a NodePort: its connections use <see cref="ServicePortState.External"/>.</param>
    public static PortListener Open(IPEndPoint address, ServicePortName owner, ConnectionHandler handler, int backlog, bool external = false)
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
        return new PortListener(address, owner, handler.Accept(socket, owner, external));
    }

    public async ValueTask DisposeAsync()
    {
        await _accepting.DisposeAsync().ConfigureAwait(false);
    }
}
