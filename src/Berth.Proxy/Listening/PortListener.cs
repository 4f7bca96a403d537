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
            SetReuseAddressOnly(socket);
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

    /// <summary>
    /// SO_REUSEADDR alone, so the address can be bound again while old connections sit in TIME_WAIT, but a second
    /// listener on it fails: .NET's <see cref="SocketOptionName.ReuseAddress"/> also sets SO_REUSEPORT on Linux, which
    /// would let another Berth server with an overlapping ClusterIP range share the port and take half its connections
    /// (and, in ebpf mode, program the address too; see <see cref="Kernel.SocketLoadBalancer"/>).
    /// </summary>
    private static void SetReuseAddressOnly(Socket socket)
    {
        if (OperatingSystem.IsLinux())
        {
            socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
        }
        else
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        }
    }

    private const int SolSocket = 1, SoReuseAddr = 2;

    public async ValueTask DisposeAsync()
    {
        await _accepting.DisposeAsync().ConfigureAwait(false);
    }
}
