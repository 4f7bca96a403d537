using System.Net.Sockets;

namespace Berth.Proxy.Forwarding.Linux;

/// <summary>
/// A listening socket watched by every loop of an <see cref="EventLoopForwarder"/> (one <see cref="AcceptWatch"/>
/// each). <see cref="DisposeAsync"/> takes it off every loop, then closes it, so later clients are refused and no
/// loop can watch a closed (or reused) descriptor.
/// </summary>
internal sealed class SharedListener : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly AcceptWatch[] _watches;

    public SharedListener(Socket listener, AcceptWatch[] watches)
    {
        _listener = listener;
        _watches = watches;
        foreach (var watch in watches)
        {
            watch.Attach();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_watches.Select(w => w.DetachAsync())).ConfigureAwait(false);
        _listener.Dispose();
    }
}
