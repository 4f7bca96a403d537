using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Bench.Proxy;

/// <summary>
/// The backend of the overhead bench: answers every request that ends with an empty line with a fixed small
/// HTTP/1.1 response, keeping the connection open until the client closes it. Minimal on purpose, so the figures
/// are dominated by the network path, not by the server.
/// </summary>
internal sealed class TinyHttpServer : IAsyncDisposable
{
    public static readonly byte[] Response = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok");
    private readonly Socket _listener;
    private readonly Task _loop;

    public TinyHttpServer(IPEndPoint address)
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(address);
        _listener.Listen(1024);
        Address = address;
        _loop = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint Address { get; }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private static async Task ServeAsync(Socket client)
    {
        client.NoDelay = true;
        var buffer = new byte[4096];
        try
        {
            using (client)
            {
                var pending = 0;
                while (true)
                {
                    var read = await client.ReceiveAsync(buffer.AsMemory(pending), SocketFlags.None);
                    if (read == 0)
                    {
                        return;
                    }
                    pending += read;
                    var end = buffer.AsSpan(0, pending).IndexOf("\r\n\r\n"u8);
                    if (end >= 0)
                    {
                        pending = 0;
                        await client.SendAsync(Response, SocketFlags.None);
                    }
                }
            }
        }
        catch (SocketException)
        {
            // Client reset.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _loop;
    }
}
