using System.Net;
using System.Net.Sockets;
using Berth.Proxy.Metrics;

namespace Berth.Proxy.Forwarding;

/// <summary>
/// Dials and copies with the runtime's async sockets (<see cref="ConnectionPump"/>): portable, but each proxied read
/// costs a wake-up of the runtime's socket thread and then a thread-pool dispatch. The default
/// (<see cref="ForwardingMode.Async"/>), and the fallback of the event loop off Linux.
/// </summary>
public sealed class AsyncForwarder(int bufferSize, TimeProvider time) : IForwarder
{
    public async Task<SocketError> ConnectAsync(Socket socket, IPEndPoint address, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var stop = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), deadline);
        try
        {
            await socket.ConnectAsync(address, deadline.Token).ConfigureAwait(false);
            return SocketError.Success;
        }
        catch (SocketException ex)
        {
            return ex.SocketErrorCode;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SocketError.TimedOut;
        }
    }

    public Task RelayAsync(Socket client, Socket backend, EndpointStats stats, CancellationToken cancellationToken) =>
        ConnectionPump.RunAsync(client, backend, stats, bufferSize, cancellationToken);

    public IAsyncDisposable Accept(Socket listener, Action<Socket> accepted) => new AcceptLoop(listener, accepted);

    /// <summary>Nothing to do: the pumps end through the cancellation token handed to <see cref="RelayAsync"/>.</summary>
    public void AbortAll()
    {
    }

    public void Dispose()
    {
    }
}
