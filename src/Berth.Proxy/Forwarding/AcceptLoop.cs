using System.Net.Sockets;

namespace Berth.Proxy.Forwarding;

/// <summary>
/// Accepts connections of a listening socket with the runtime's async sockets and hands each to a callback, until
/// disposed; a connection that failed while queued is skipped. <see cref="DisposeAsync"/> closes the listening
/// socket and waits for the loop. Used by <see cref="AsyncForwarder"/>.
/// </summary>
internal sealed class AcceptLoop : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Action<Socket> _accepted;
    private readonly Task _loop;
    private volatile bool _closed;

    public AcceptLoop(Socket listener, Action<Socket> accepted)
    {
        _listener = listener;
        _accepted = accepted;
        _loop = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException && _closed)
            {
                return;
            }
            catch (SocketException)
            {
                // A connection that failed while queued (e.g. reset by its client); keep accepting.
                continue;
            }
            _accepted(client);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _closed = true;
        _listener.Dispose();
        await _loop.ConfigureAwait(false);
    }
}
