using System.Threading.Channels;

namespace Berth.Kubelet.Runtime.ProcessRuntime.Logs;

/// <summary>
/// The live output of one container for one attach session (see <see cref="ContainerOutputFanOut"/>). Chunks queue
/// without bound in count but not in bytes: a reader that falls more than <see cref="MaxQueuedBytes"/> behind is cut
/// off (its queue ends, so the session ends) rather than holding the container's output in memory.
/// </summary>
/// <remarks>One reader; <see cref="Dispose"/> from any thread stops delivery. Thread-safe.</remarks>
internal sealed class ContainerOutputSubscription : IDisposable
{
    public const long MaxQueuedBytes = 8 * 1024 * 1024;

    private readonly ContainerOutputFanOut _owner;
    private readonly Channel<ContainerOutputChunk> _queue = Channel.CreateUnbounded<ContainerOutputChunk>(
        new UnboundedChannelOptions { SingleReader = true });
    private long _queued;

    internal ContainerOutputSubscription(ContainerOutputFanOut owner) => _owner = owner;

    /// <summary>True when the reader fell too far behind and delivery stopped.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>Output in arrival order; completes when the container's output ended (or on overflow/dispose).</summary>
    public async IAsyncEnumerable<ContainerOutputChunk> ReadAllAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var chunk in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Add(ref _queued, -chunk.Data.Length);
            yield return chunk;
        }
    }

    public void Dispose()
    {
        _owner.Remove(this);
        End();
    }

    internal void Offer(ContainerOutputChunk chunk)
    {
        if (Interlocked.Add(ref _queued, chunk.Data.Length) > MaxQueuedBytes)
        {
            Overflowed = true;
            _owner.Remove(this);
            End();
            return;
        }
        _queue.Writer.TryWrite(chunk);
    }

    internal void End() => _queue.Writer.TryComplete();
}
