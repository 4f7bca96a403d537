using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.UnitTests.Proxy;

/// <summary>
/// A UDP server on its own loopback address standing in for a pod: answers every datagram with its name, a colon and
/// the datagram (or stays silent when <c>reply</c> is false). Counts datagrams received.
/// </summary>
internal sealed class UdpTestBackend : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Task _loop;
    private readonly bool _reply;
    private int _received;

    public UdpTestBackend(string name, bool reply = true, IPAddress? address = null)
    {
        Name = name;
        _reply = reply;
        _socket.Bind(new IPEndPoint(address ?? ProxyTestObjects.NextBackendIP(), ProxyTestObjects.BackendPort));
        Address = (IPEndPoint)_socket.LocalEndPoint!;
        _loop = LoopAsync();
    }

    public string Name { get; }

    public IPEndPoint Address { get; }

    public int Received => Volatile.Read(ref _received);

    private async Task LoopAsync()
    {
        var buffer = new byte[2048];
        var prefix = Encoding.ASCII.GetBytes(Name + ":");
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0));
                Interlocked.Increment(ref _received);
                if (_reply)
                {
                    byte[] reply = [.. prefix, .. buffer.AsSpan(0, result.ReceivedBytes)];
                    await _socket.SendToAsync(reply, SocketFlags.None, result.RemoteEndPoint);
                }
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
        {
            // Disposed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        await _loop;
    }
}
