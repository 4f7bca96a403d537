using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.UnitTests.Proxy;

/// <summary>A test client of a proxied service port: connects, reads the backend's name line, echoes lines.</summary>
internal sealed class ProxyClient : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly StreamReader _reader;
    private readonly NetworkStream _stream;

    private ProxyClient(TcpClient client, string backend)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = new StreamReader(_stream, Encoding.ASCII);
        Backend = backend;
    }

    /// <summary>The name the backend sent first.</summary>
    public string Backend { get; private set; }

    public static async Task<ProxyClient> ConnectAsync(IPEndPoint address)
    {
        var client = new TcpClient(AddressFamily.InterNetwork);
        try
        {
            await client.ConnectAsync(address).DefaultTimeout();
            var result = new ProxyClient(client, "");
            result.Backend = await result._reader.ReadLineAsync().DefaultTimeout() ?? throw new IOException("closed before the greeting");
            return result;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// True when a TCP connect to <paramref name="address"/> is refused (nothing listens); false when it connects. A
    /// connect that lands while the listener is being closed can be accepted and then reset, so callers that follow a
    /// listener's removal poll this instead of asserting on a single attempt.
    /// </summary>
    public static async Task<bool> IsRefusedAsync(IPEndPoint address)
    {
        using var client = new TcpClient(AddressFamily.InterNetwork);
        try
        {
            await client.ConnectAsync(address).DefaultTimeout();
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            // The listener closed while this connection sat in its backlog: not refused yet; the caller polls again.
            return false;
        }
    }

    /// <summary>The backend behind a new connection to <paramref name="address"/>.</summary>
    public static async Task<string> BackendOfNewConnectionAsync(IPEndPoint address)
    {
        await using var client = await ConnectAsync(address);
        return client.Backend;
    }

    public async Task<string?> EchoAsync(string line)
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\n")).AsTask().DefaultTimeout();
        return await _reader.ReadLineAsync().DefaultTimeout();
    }

    /// <summary>Half-closes the sending side and returns what arrives until the proxy closes the connection.</summary>
    public async Task<string> ShutdownAndReadToEndAsync()
    {
        _client.Client.Shutdown(SocketShutdown.Send);
        return await _reader.ReadToEndAsync().DefaultTimeout();
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
