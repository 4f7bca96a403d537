using System.Buffers;
using System.Net.Sockets;
using Berth.Proxy.Metrics;

namespace Berth.Proxy.Forwarding;

/// <summary>
/// Copies bytes both ways between a client and its backend until both directions ended. End of stream on one side
/// is forwarded as a half-close (<see cref="SocketShutdown.Send"/>) and the other direction keeps flowing; an error or
/// reset on either side, or <c>cancellationToken</c> (proxy shutdown), aborts both with a reset. Endpoint changes never
/// end a pump: established connections live until a side closes. Disposes both sockets when done.
/// </summary>
/// <remarks>The TCP copy loop of kube-proxy's removed userspace mode (pkg/proxy/userspace/proxysocket.go ProxyTCP/copyBytes).</remarks>
public static class ConnectionPump
{
    public static async Task RunAsync(Socket client, Socket backend, EndpointStats stats, int bufferSize,
        CancellationToken cancellationToken)
    {
        var upstream = CopyAsync(client, backend, stats, inbound: true, bufferSize, cancellationToken);
        var downstream = CopyAsync(backend, client, stats, inbound: false, bufferSize, cancellationToken);
        var first = await Task.WhenAny(upstream, downstream).ConfigureAwait(false);
        if (!first.IsCompletedSuccessfully)
        {
            Abort(client);
            Abort(backend);
        }
        try
        {
            await Task.WhenAll(upstream, downstream).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            Abort(client);
            Abort(backend);
        }
        finally
        {
            client.Dispose();
            backend.Dispose();
        }
    }

    private static async Task CopyAsync(Socket from, Socket to, EndpointStats stats, bool inbound, int bufferSize,
        CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer.AsMemory(0, bufferSize), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }
                var sent = 0;
                while (sent < read)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                }
                if (inbound)
                {
                    stats.AddBytesIn(read);
                }
                else
                {
                    stats.AddBytesOut(read);
                }
            }
            to.Shutdown(SocketShutdown.Send);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Closes a socket with a reset (SO_LINGER 0), so the peer sees ECONNRESET rather than a clean end.</summary>
    public static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed: nothing to reset.
        }
        socket.Dispose();
    }
}
