using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Berth.Kubelet.Runtime.ProcessRuntime;

/// <summary>
/// Fans container exits out to every current subscriber through its own unbounded channel (exits are rare and
/// small, so a slow reader costs memory, never a lost event). Thread-safe.
/// </summary>
internal sealed class ExitBroadcaster
{
    private readonly Lock _gate = new();
    private readonly List<Channel<ContainerExitEvent>> _subscribers = [];

    public void Publish(ContainerExitEvent exit)
    {
        lock (_gate)
        {
            foreach (var s in _subscribers)
            {
                s.Writer.TryWrite(exit);
            }
        }
    }

    /// <summary>Subscribes at the moment of the call (not at the first MoveNext), so no exit slips in between.</summary>
    public IAsyncEnumerable<ContainerExitEvent> Subscribe(CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<ContainerExitEvent>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            _subscribers.Add(channel);
        }
        return Read(channel, cancellationToken);
    }

    /// <summary>Ends every subscription (runtime disposal).</summary>
    public void Complete()
    {
        lock (_gate)
        {
            foreach (var s in _subscribers)
            {
                s.Writer.TryComplete();
            }
            _subscribers.Clear();
        }
    }

    private async IAsyncEnumerable<ContainerExitEvent> Read(Channel<ContainerExitEvent> channel,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var exit))
                {
                    yield return exit;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }
        }
    }
}
