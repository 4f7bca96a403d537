using System.Threading.Channels;
using Berth.Storage.Core;

namespace Berth.Storage.Watch;

/// <summary>
/// One subscriber: a prefix filter and a bounded channel that holds its replay plus <c>bufferSize</c> live events.
/// The broadcaster writes with <see cref="TryDeliver"/> under its lock; when the channel is full the watch is
/// completed with <see cref="WatchTooSlowException"/> instead of waiting, so a slow reader never stalls the writer.
/// </summary>
/// <remarks>Dispose is idempotent and thread-safe; it unsubscribes and completes the channel normally.</remarks>
internal sealed class StoreWatch : IStoreWatch
{
    private readonly Channel<StoreEvent> _channel;
    private readonly WatchBroadcaster _owner;
    private long _lastRevision;

    public StoreWatch(WatchBroadcaster owner, string prefix, long afterRevision, IReadOnlyList<StoreEvent> replay, int bufferSize)
    {
        _owner = owner;
        Prefix = prefix;
        _lastRevision = afterRevision;
        _channel = Channel.CreateBounded<StoreEvent>(new BoundedChannelOptions(replay.Count + bufferSize)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = false,
            SingleReader = false,
        });
        foreach (var change in replay)
        {
            TryDeliver(change);
        }
    }

    public string Prefix { get; }

    public ChannelReader<StoreEvent> Events => _channel.Reader;

    /// <summary>
    /// Queues <paramref name="change"/> if it matches the prefix and is newer than the last one queued (dedupe by
    /// revision). Returns false when the watch was cut off because its buffer is full.
    /// </summary>
    internal bool TryDeliver(StoreEvent change)
    {
        if (change.Object.Revision <= _lastRevision || !KeyRange.HasPrefix(change.Object.Key, Prefix))
        {
            return true;
        }
        if (!_channel.Writer.TryWrite(change))
        {
            _channel.Writer.TryComplete(new WatchTooSlowException());
            return false;
        }
        _lastRevision = change.Object.Revision;
        return true;
    }

    /// <summary>Ends the watch without an error (store shutdown).</summary>
    internal void Complete() => _channel.Writer.TryComplete();

    public void Dispose()
    {
        _owner.Unsubscribe(this);
        Complete();
    }
}
