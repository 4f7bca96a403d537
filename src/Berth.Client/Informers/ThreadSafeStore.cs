using System.Text.Json.Nodes;
using Berth.Machinery.Meta;

namespace Berth.Client.Informers;

/// <summary>
/// The informer's cache: one <see cref="StoreEntry"/> per <see cref="ObjectKey"/> plus, for each index, value → keys.
/// Only the owning informer writes (from its reflector loop); anyone may read. One lock guards items and indexes so a
/// reader never sees an index out of step with the items. Objects stored are held until <see cref="ReleaseObjects"/>
/// (called when the process goes idle); after that the cache keeps each object's bytes and index values, and reads
/// hand out the object while anyone still references it, or a fresh parse of the same content when it was collected.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/client-go tools/cache/thread_safe_store.go. Thread-safe. Objects are materialised outside the
/// lock; a released object read by several threads at once is parsed once (see <see cref="StoreEntry"/>).
/// </remarks>
public sealed class ThreadSafeStore : IIndexer
{
    private readonly object _gate = new();
    private readonly Dictionary<ObjectKey, StoreEntry> _items = [];
    private readonly List<(string Name, IndexFunc Func)> _indexers = [];
    private readonly Dictionary<string, Dictionary<string, HashSet<ObjectKey>>> _indices = new(StringComparer.Ordinal);

    public ThreadSafeStore(IReadOnlyDictionary<string, IndexFunc>? indexers = null)
    {
        if (indexers is not null)
        {
            AddIndexers(indexers);
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    public JsonObject? Get(ObjectKey key)
    {
        StoreEntry? entry;
        lock (_gate)
        {
            entry = _items.GetValueOrDefault(key);
        }
        return entry?.Object;
    }

    public IReadOnlyList<JsonObject> List()
    {
        StoreEntry[] entries;
        lock (_gate)
        {
            entries = [.. _items.Values];
        }
        return Materialize(entries);
    }

    public IReadOnlyList<ObjectKey> ListKeys()
    {
        lock (_gate)
        {
            return [.. _items.Keys];
        }
    }

    public IReadOnlyList<JsonObject> ByIndex(string indexName, string indexedValue)
    {
        StoreEntry[] entries;
        lock (_gate)
        {
            if (!_indices.TryGetValue(indexName, out var index))
            {
                throw new InvalidOperationException($"index \"{indexName}\" does not exist");
            }
            if (!index.TryGetValue(indexedValue, out var keys))
            {
                return [];
            }
            entries = new StoreEntry[keys.Count];
            var i = 0;
            foreach (var key in keys)
            {
                entries[i++] = _items[key];
            }
        }
        return Materialize(entries);
    }

    public bool HasIndex(string indexName)
    {
        lock (_gate)
        {
            return _indices.ContainsKey(indexName);
        }
    }

    public void AddIndexers(IReadOnlyDictionary<string, IndexFunc> indexers)
    {
        lock (_gate)
        {
            foreach (var name in indexers.Keys)
            {
                if (_indices.ContainsKey(name))
                {
                    throw new InvalidOperationException($"indexer conflict: \"{name}\"");
                }
            }
            var added = indexers.ToList();
            foreach (var (name, func) in added)
            {
                _indexers.Add((name, func));
                _indices[name] = new Dictionary<string, HashSet<ObjectKey>>(StringComparer.Ordinal);
            }
            foreach (var (key, entry) in _items.ToList())
            {
                var obj = entry.Object;
                var values = new string[_indexers.Count][];
                entry.IndexValues.CopyTo(values, 0);
                for (var i = entry.IndexValues.Length; i < values.Length; i++)
                {
                    values[i] = [.. _indexers[i].Func(obj)];
                    AddToIndex(_indexers[i].Name, values[i], key);
                }
                _items[key] = entry.WithIndexValues(values);
            }
        }
    }

    /// <summary>Inserts or replaces the object at <paramref name="key"/>; returns the previous one.</summary>
    public JsonObject? Upsert(ObjectKey key, JsonObject obj) => Upsert(key, obj, default);

    /// <summary>
    /// Inserts or replaces the object at <paramref name="key"/>; <paramref name="utf8"/>, when not empty, is exactly
    /// its JSON and immutable (e.g. the storage's bytes), kept instead of serialising the object on release.
    /// Returns the previous object.
    /// </summary>
    public JsonObject? Upsert(ObjectKey key, JsonObject obj, ReadOnlyMemory<byte> utf8)
    {
        StoreEntry? old;
        lock (_gate)
        {
            var entry = new StoreEntry(obj, utf8, IndexValuesOf(obj));
            old = _items.GetValueOrDefault(key);
            if (old is not null)
            {
                RemoveFromIndices(key, old);
            }
            _items[key] = entry;
            for (var i = 0; i < _indexers.Count; i++)
            {
                AddToIndex(_indexers[i].Name, entry.IndexValues[i], key);
            }
        }
        return old?.Object;
    }

    /// <summary>Removes the object at <paramref name="key"/>; returns it, or null when absent.</summary>
    public JsonObject? Remove(ObjectKey key)
    {
        StoreEntry? old;
        lock (_gate)
        {
            if (!_items.Remove(key, out old))
            {
                return null;
            }
            RemoveFromIndices(key, old);
        }
        return old.Object;
    }

    /// <summary>
    /// Stops holding the cached objects: each is kept only weakly from now on (with its bytes, serialised here when
    /// unknown), so a full collection frees the parsed trees nobody else references. Objects stored later are held
    /// again until the next call. Returns how many entries were released. Call when the process goes idle; the
    /// serialising happens outside the lock, and an entry replaced meanwhile is left as it is.
    /// </summary>
    public int ReleaseObjects()
    {
        List<KeyValuePair<ObjectKey, StoreEntry>> held;
        lock (_gate)
        {
            held = [.. _items.Where(p => p.Value.IsHeld)];
        }
        var released = held.ConvertAll(p => p.Value.Released());
        var count = 0;
        lock (_gate)
        {
            for (var i = 0; i < held.Count; i++)
            {
                if (_items.TryGetValue(held[i].Key, out var current) && ReferenceEquals(current, held[i].Value))
                {
                    _items[held[i].Key] = released[i];
                    count++;
                }
            }
        }
        return count;
    }

    private static JsonObject[] Materialize(StoreEntry[] entries)
    {
        var result = new JsonObject[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            result[i] = entries[i].Object;
        }
        return result;
    }

    /// <summary>Runs every index function on <paramref name="obj"/>. Called under the lock.</summary>
    private string[][] IndexValuesOf(JsonObject obj)
    {
        var values = new string[_indexers.Count][];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = [.. _indexers[i].Func(obj)];
        }
        return values;
    }

    private void AddToIndex(string name, string[] values, ObjectKey key)
    {
        var index = _indices[name];
        foreach (var value in values)
        {
            if (!index.TryGetValue(value, out var keys))
            {
                keys = [];
                index[value] = keys;
            }
            keys.Add(key);
        }
    }

    private void RemoveFromIndices(ObjectKey key, StoreEntry old)
    {
        for (var i = 0; i < old.IndexValues.Length; i++)
        {
            var index = _indices[_indexers[i].Name];
            foreach (var value in old.IndexValues[i])
            {
                if (index.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
                {
                    index.Remove(value);
                }
            }
        }
    }
}
