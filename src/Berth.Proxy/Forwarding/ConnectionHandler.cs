using System.Net;
using System.Net.Sockets;
using Berth.Proxy.Metrics;
using Berth.Proxy.Model;
using Microsoft.Extensions.Logging;

namespace Berth.Proxy.Forwarding;

/// <summary>
/// Serves one accepted client connection of a service port: reads the current snapshot (lock-free), rejects with a
/// reset when the port has no usable endpoint (the listener is normally closed then, so this only covers the instant
/// between a snapshot swap and the listener closing), dials an endpoint with retry, and pumps bytes until a side
/// closes. Connections keep running when their endpoint leaves later snapshots. Thread-safe; one instance per proxy.
/// </summary>
public sealed partial class ConnectionHandler(
    Func<ProxySnapshot> snapshot, EndpointDialer dialer, IForwarder forwarder, ProxyMetrics metrics, ILogger logger)
{
    private readonly CancellationTokenSource _stopping = new();
    private long _open;

    /// <summary>Client connections being served now (dialing or pumping).</summary>
    public long OpenConnections => Volatile.Read(ref _open);

    /// <summary>
    /// Starts accepting the connections of <paramref name="listener"/> for <paramref name="port"/> (its NodePort when
    /// <paramref name="external"/>); dispose the result to stop and close it.
    /// </summary>
    public IAsyncDisposable Accept(Socket listener, ServicePortName port, bool external = false) =>
        forwarder.Accept(listener, client => Handle(client, port, external));

    /// <summary>Starts serving <paramref name="client"/> in the background; never throws.</summary>
    public void Handle(Socket client, ServicePortName port, bool external = false)
    {
        Interlocked.Increment(ref _open);
        _ = ServeAsync(client, port, external);
    }

    /// <summary>
    /// Resets every connection still open, waits (bounded by <paramref name="cancellationToken"/>) until they ended,
    /// then disposes the forwarder. Idempotent.
    /// </summary>
    public async Task StopAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        forwarder.AbortAll();
        try
        {
            while (OpenConnections > 0 && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            forwarder.Dispose();
        }
    }

    private async Task ServeAsync(Socket client, ServicePortName port, bool external)
    {
        try
        {
            var state = external ? snapshot().Find(port)?.External : snapshot().Find(port);
            if (state is null || state.Usable.IsEmpty)
            {
                Reject(client, port);
                return;
            }
            client.NoDelay = true;
            var clientIP = state.Info.ClientIPAffinity ? (client.RemoteEndPoint as IPEndPoint)?.Address : null;
            var (backend, endpoint) = await dialer.DialAsync(state, clientIP, _stopping.Token).ConfigureAwait(false);
            if (backend is null || endpoint is null)
            {
                Reject(client, port);
                return;
            }
            endpoint.Stats.ConnectionOpened();
            try
            {
                await forwarder.RelayAsync(client, backend, endpoint.Stats, _stopping.Token).ConfigureAwait(false);
            }
            finally
            {
                endpoint.Stats.ConnectionClosed();
            }
        }
        catch (Exception ex)
        {
            Log.ConnectionFailed(logger, port.ToString(), ex);
            ConnectionPump.Abort(client);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private void Reject(Socket client, ServicePortName port)
    {
        metrics.Rejected(port);
        ConnectionPump.Abort(client);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4102, EventName = "ConnectionFailed", Level = LogLevel.Debug,
            Message = "Proxied connection of {ServicePort} ended with an error")]
        public static partial void ConnectionFailed(ILogger logger, string servicePort, Exception exception);
    }
}
