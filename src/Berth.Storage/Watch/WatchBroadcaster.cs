using Berth.Storage.Core;

namespace Berth.Storage.Watch;

/// <summary>
/// Fans committed events out to watchers and keeps the <see cref="WatchWindow"/> for replay.
/// <see cref="Publish"/> and <see cref="Subscribe"/> run under one lock, so a new watcher gets an atomic cut:
/// every event up to the cut from the window, every later one live — no gap, no duplicate.
/// </summary>
/// <remarks>
/// Thread-safe. Publish must be called by the store's single writer, in revision order, after the events are durable.
/// It never blocks on a watcher: a full watcher is closed with <see cref="WatchTooSlowException"/> and dropped.
/// Mirrors k3s-io/kine pkg/broadcaster/broadcaster.go.
/// </remarks>
internal sealed class WatchBroadcaster(int windowSize, long floor, int bufferSize)
{
    private readonly Lock _lock = new();
    private readonly WatchWindow _window = new(windowSize, floor);
    private readonly List<StoreWatch> _watchers = [];
    private bool _closed;

    /// <summary>The oldest revision a watch can resume after.</summary>
    public long Floor
    {
        get
        {
            lock (_lock)
            {
                return _window.Floor;
            }
        }
    }

    public int WatcherCount
    {
        get
        {
            lock (_lock)
            {
                return _watchers.Count;
            }
        }
    }

    /// <summary>Fills the window at startup (events read back from disk), oldest first. Delivers nothing.</summary>
    public void Preload(IEnumerable<StoreEvent> history)
    {
        lock (_lock)
        {
            foreach (var change in history)
            {
                _window.Append(change);
            }
        }
    }

    public void Publish(IReadOnlyList<StoreEvent> changes)
    {
        lock (_lock)
        {
            foreach (var change in changes)
            {
                _window.Append(change);
            }
            for (var i = _watchers.Count - 1; i >= 0; i--)
            {
                if (!DeliverAll(_watchers[i], changes))
                {
                    _watchers.RemoveAt(i);
                }
            }
        }
    }

    /// <exception cref="StoreCompactedException">When <paramref name="afterRevision"/> is older than the window.</exception>
    public IStoreWatch Subscribe(string prefix, long afterRevision)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentOutOfRangeException.ThrowIfNegative(afterRevision);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            var watch = new StoreWatch(this, prefix, afterRevision, _window.ReadAfter(prefix, afterRevision), bufferSize);
            _watchers.Add(watch);
            return watch;
        }
    }

    public void Unsubscribe(StoreWatch watch)
    {
        lock (_lock)
        {
            _watchers.Remove(watch);
        }
    }

    public void Compact(long revision)
    {
        lock (_lock)
        {
            _window.Compact(revision);
        }
    }

    /// <summary>Completes every watcher normally and refuses new ones (store disposal).</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            foreach (var watch in _watchers)
            {
                watch.Complete();
            }
            _watchers.Clear();
        }
    }

    private static bool DeliverAll(StoreWatch watch, IReadOnlyList<StoreEvent> changes)
    {
        foreach (var change in changes)
        {
            if (!watch.TryDeliver(change))
            {
                return false;
            }
        }
        return true;
    }
}
