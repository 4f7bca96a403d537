using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.E2ETests.Proxy;

/// <summary>A minimal HTTP/1.1 client over raw sockets: one GET on a new connection, or GETs on a kept-alive one.</summary>
internal sealed class ServiceHttp : IAsyncDisposable
{
    private readonly Socket _socket;

    private ServiceHttp(Socket socket) => _socket = socket;

    public static async Task<ServiceHttp> ConnectAsync(IPEndPoint target, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
            return new ServiceHttp(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The connection's peer (getpeername): the ClusterIP when the user-space proxy accepted it, the pod when the kernel routed it.</summary>
    public IPEndPoint Peer => (IPEndPoint)_socket.RemoteEndPoint!;

    /// <summary>GET / on a new connection; returns the body (the pod's name). Throws on refusal, reset or timeout.</summary>
    public static async Task<string> GetOnceAsync(IPEndPoint target, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        await using var http = await ConnectAsync(target, cts.Token).ConfigureAwait(false);
        return await http.GetAsync(cts.Token).ConfigureAwait(false);
    }

    /// <summary>GET / on this connection; returns the body.</summary>
    public async Task<string> GetAsync(CancellationToken cancellationToken = default)
    {
        await _socket.SendAsync("GET / HTTP/1.1\r\nHost: svc\r\n\r\n"u8.ToArray(), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[4096];
        var received = 0;
        while (true)
        {
            var read = await _socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("connection closed before a full response");
            }
            received += read;
            var text = Encoding.ASCII.GetString(buffer, 0, received);
            var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headerEnd < 0)
            {
                continue;
            }
            var lengthLine = text[..headerEnd].Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            var length = int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            if (received >= headerEnd + 4 + length)
            {
                return text.Substring(headerEnd + 4, length);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
