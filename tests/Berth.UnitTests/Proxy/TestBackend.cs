using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.UnitTests.Proxy;

/// <summary>
/// A TCP server on its own loopback address standing in for a pod: on each connection it writes its name and a newline, then echoes
/// every byte until the client half-closes, then closes. Counts accepted connections and records their peers.
/// </summary>
internal sealed class TestBackend : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _accepted;

    public TestBackend(string name)
    {
        Name = name;
        _listener = new TcpListener(ProxyTestObjects.NextBackendIP(), ProxyTestObjects.BackendPort);
        _listener.Start();
        Address = (IPEndPoint)_listener.LocalEndpoint;
        _loop = AcceptLoopAsync();
    }

    public string Name { get; }

    public IPEndPoint Address { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>The remote address:port of every accepted connection (the proxy's, or the client's when nothing is in between).</summary>
    public ConcurrentQueue<IPEndPoint> Peers { get; } = new();

    /// <summary>An address on which nothing listens, so a dial is refused.</summary>
    public static IPEndPoint ClosedAddress() => new(ProxyTestObjects.NextBackendIP(), ProxyTestObjects.BackendPort);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Peers.Enqueue((IPEndPoint)client.Client.RemoteEndPoint!);
            Interlocked.Increment(ref _accepted);
            _ = EchoAsync(client);
        }
    }

    private async Task EchoAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                await stream.WriteAsync(Encoding.ASCII.GetBytes(Name + "\n"), _stop.Token);
                var buffer = new byte[4096];
                int read;
                while ((read = await stream.ReadAsync(buffer, _stop.Token)) > 0)
                {
                    await stream.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
            {
                // The test closed or reset the connection.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
    }
}
