namespace Berth.Storage.Core;

/// <summary>
/// The current state of every live key plus the revision it is consistent with, so GET and LIST never touch disk.
/// Keys are kept in a sorted list (ordinal) for prefix range scans; values are shared immutable
/// <see cref="StoredObject"/>s.
/// </summary>
/// <remarks>
/// Thread-safe. Readers take a short lock; only the store's single writer calls <see cref="Apply"/>, and only with
/// changes that are already durable. Mirrors the "store/" B-tree of kubernetes/apiserver pkg/storage/cacher.
/// </remarks>
internal sealed class ResourceIndex
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, StoredObject> _objects = new(StringComparer.Ordinal);
    private readonly List<string> _keys = [];
    private long _revision;

    /// <summary>The newest revision applied.</summary>
    public long Revision => Volatile.Read(ref _revision);

    public StoredObject? Get(string key)
    {
        lock (_lock)
        {
            return _objects.GetValueOrDefault(key);
        }
    }

    public StoreList List(string prefix, string? startAfterKey, int limit)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var items = new List<StoredObject>();
        lock (_lock)
        {
            var i = startAfterKey is not null && string.CompareOrdinal(startAfterKey, prefix) >= 0
                ? UpperBound(startAfterKey)
                : LowerBound(prefix);
            for (; i < _keys.Count && KeyRange.HasPrefix(_keys[i], prefix); i++)
            {
                if (limit > 0 && items.Count == limit)
                {
                    return new StoreList(items, _revision, HasMore: true);
                }
                items.Add(_objects[_keys[i]]);
            }
            return new StoreList(items, _revision, HasMore: false);
        }
    }

    /// <summary>Applies committed changes in revision order and advances <see cref="Revision"/> to <paramref name="revision"/>.</summary>
    public void Apply(IReadOnlyList<StoreEvent> changes, long revision)
    {
        lock (_lock)
        {
            foreach (var change in changes)
            {
                ApplyOne(change);
            }
            Volatile.Write(ref _revision, Math.Max(_revision, revision));
        }
    }

    private void ApplyOne(StoreEvent change)
    {
        var key = change.Object.Key;
        if (change.Type == StoreEventType.Deleted)
        {
            if (_objects.Remove(key))
            {
                _keys.RemoveAt(LowerBound(key));
            }
            return;
        }
        if (!_objects.ContainsKey(key))
        {
            _keys.Insert(LowerBound(key), key);
        }
        _objects[key] = change.Object;
    }

    private int LowerBound(string key)
    {
        var i = _keys.BinarySearch(key, StringComparer.Ordinal);
        return i >= 0 ? i : ~i;
    }

    private int UpperBound(string key)
    {
        var i = _keys.BinarySearch(key, StringComparer.Ordinal);
        return i >= 0 ? i + 1 : ~i;
    }
}
