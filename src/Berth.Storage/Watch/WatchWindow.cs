using Berth.Storage.Core;

namespace Berth.Storage.Watch;

/// <summary>
/// A sliding window of the most recent events, in revision order, bounded by count and by compaction. It holds every
/// event with revision greater than <see cref="Floor"/>; resuming from before the floor is impossible.
/// </summary>
/// <remarks>
/// Not thread-safe: <see cref="WatchBroadcaster"/> guards it with its lock. Events share their
/// <see cref="StoredObject"/>s with the index, so the window costs little beyond superseded values.
/// Mirrors kubernetes/apiserver pkg/storage/cacher/watch_cache.go (the cyclic buffer and its "too old" check).
/// </remarks>
internal sealed class WatchWindow(int capacity, long floor)
{
    private readonly StoreEvent[] _ring = new StoreEvent[capacity];
    private int _head;
    private int _count;

    /// <summary>Every event with a revision above this one is in the window.</summary>
    public long Floor { get; private set; } = floor;

    /// <summary>Appends an event newer than all held; evicts the oldest (raising <see cref="Floor"/>) when full.</summary>
    public void Append(StoreEvent change)
    {
        if (_count == _ring.Length)
        {
            DropOldest();
        }
        _ring[(_head + _count) % _ring.Length] = change;
        _count++;
    }

    /// <summary>Drops events at or below <paramref name="revision"/> and raises the floor to it.</summary>
    public void Compact(long revision)
    {
        while (_count > 0 && At(0).Object.Revision <= revision)
        {
            DropOldest();
        }
        Floor = Math.Max(Floor, revision);
    }

    /// <summary>Events after <paramref name="afterRevision"/> under <paramref name="prefix"/>, oldest first.</summary>
    /// <exception cref="StoreCompactedException">When <paramref name="afterRevision"/> is below <see cref="Floor"/>.</exception>
    public List<StoreEvent> ReadAfter(string prefix, long afterRevision)
    {
        if (afterRevision < Floor)
        {
            throw new StoreCompactedException(afterRevision, Floor);
        }
        var result = new List<StoreEvent>();
        for (var i = FirstAfter(afterRevision); i < _count; i++)
        {
            var change = At(i);
            if (KeyRange.HasPrefix(change.Object.Key, prefix))
            {
                result.Add(change);
            }
        }
        return result;
    }

    private StoreEvent At(int i) => _ring[(_head + i) % _ring.Length];

    private void DropOldest()
    {
        Floor = Math.Max(Floor, At(0).Object.Revision);
        _ring[_head] = null!;
        _head = (_head + 1) % _ring.Length;
        _count--;
    }

    private int FirstAfter(long revision)
    {
        int lo = 0, hi = _count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (At(mid).Object.Revision <= revision)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}
