namespace Berth.Kubelet.Runtime.ProcessRuntime.Logs;

/// <summary>
/// Hands the output a <see cref="ContainerLogPump"/> reads to every attached <see cref="ContainerOutputSubscription"/>
/// as well as to the log: attach sessions see the bytes from the moment they subscribe, and the log still gets all
/// of them. <see cref="Complete"/> (end of both streams, or the pump detached) ends every subscription.
/// </summary>
/// <remarks>
/// <see cref="Publish"/> runs on the poller thread under the pump's lock and never blocks: it copies the bytes into
/// each subscription's queue. Subscribe and dispose may run on any thread. Thread-safe.
/// </remarks>
internal sealed class ContainerOutputFanOut
{
    private readonly Lock _gate = new();
    private ContainerOutputSubscription[] _subscribers = [];
    private bool _completed;

    /// <summary>A new subscription that receives everything published from now on; already ended after <see cref="Complete"/>.</summary>
    public ContainerOutputSubscription Subscribe()
    {
        var subscription = new ContainerOutputSubscription(this);
        lock (_gate)
        {
            if (_completed)
            {
                subscription.End();
                return subscription;
            }
            _subscribers = [.. _subscribers, subscription];
        }
        return subscription;
    }

    /// <summary>Copies one chunk of <paramref name="stream"/> output to every subscription.</summary>
    public void Publish(ContainerOutputStream stream, ReadOnlySpan<byte> data)
    {
        var subscribers = Volatile.Read(ref _subscribers);
        if (subscribers.Length == 0)
        {
            return;
        }
        var chunk = new ContainerOutputChunk(stream, data.ToArray());
        foreach (var s in subscribers)
        {
            s.Offer(chunk);
        }
    }

    /// <summary>Ends every subscription (they drain what was queued first) and refuses new ones.</summary>
    public void Complete()
    {
        ContainerOutputSubscription[] ended;
        lock (_gate)
        {
            _completed = true;
            ended = _subscribers;
            _subscribers = [];
        }
        foreach (var s in ended)
        {
            s.End();
        }
    }

    internal void Remove(ContainerOutputSubscription subscription)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers.Where(s => !ReferenceEquals(s, subscription))];
        }
    }
}
