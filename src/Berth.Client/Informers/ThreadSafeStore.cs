using System.Text.Json.Nodes;
using Berth.Machinery.Meta;

namespace Berth.Client.Informers;

/// <summary>
/// The informer's cache: objects by <see cref="ObjectKey"/> plus, for each index, value → keys. Only the owning
/// informer writes (from its reflector loop); anyone may read. One lock guards items and indexes so a reader never
/// sees an index out of step with the items.
/// </summary>
/// <remarks>Mirrors kubernetes/client-go tools/cache/thread_safe_store.go. Thread-safe.</remarks>
public sealed class ThreadSafeStore : IIndexer
{
    private readonly object _gate = new();
    private readonly Dictionary<ObjectKey, JsonObject> _items = [];
    private readonly Dictionary<string, IndexFunc> _indexers = new(StringComparer.Ordinal);
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
        lock (_gate)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    public IReadOnlyList<JsonObject> List()
    {
        lock (_gate)
        {
            return [.. _items.Values];
        }
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
            var result = new List<JsonObject>(keys.Count);
            foreach (var key in keys)
            {
                result.Add(_items[key]);
            }
            return result;
        }
    }

    public bool HasIndex(string indexName)
    {
        lock (_gate)
        {
            return _indexers.ContainsKey(indexName);
        }
    }

    public void AddIndexers(IReadOnlyDictionary<string, IndexFunc> indexers)
    {
        lock (_gate)
        {
            foreach (var name in indexers.Keys)
            {
                if (_indexers.ContainsKey(name))
                {
                    throw new InvalidOperationException($"indexer conflict: \"{name}\"");
                }
            }
            foreach (var (name, func) in indexers)
            {
                _indexers[name] = func;
                _indices[name] = new Dictionary<string, HashSet<ObjectKey>>(StringComparer.Ordinal);
                foreach (var (key, obj) in _items)
                {
                    AddToIndex(name, func, key, obj);
                }
            }
        }
    }

    /// <summary>Inserts or replaces the object at <paramref name="key"/>; returns the previous one.</summary>
    public JsonObject? Upsert(ObjectKey key, JsonObject obj)
    {
        lock (_gate)
        {
            var old = _items.GetValueOrDefault(key);
            if (old is not null)
            {
                RemoveFromIndices(key, old);
            }
            _items[key] = obj;
            foreach (var (name, func) in _indexers)
            {
                AddToIndex(name, func, key, obj);
            }
            return old;
        }
    }

    /// <summary>Removes the object at <paramref name="key"/>; returns it, or null when absent.</summary>
    public JsonObject? Remove(ObjectKey key)
    {
        lock (_gate)
        {
            if (!_items.Remove(key, out var old))
            {
                return null;
            }
            RemoveFromIndices(key, old);
            return old;
        }
    }

    private void AddToIndex(string name, IndexFunc func, ObjectKey key, JsonObject obj)
    {
        var index = _indices[name];
        foreach (var value in func(obj))
        {
            if (!index.TryGetValue(value, out var keys))
            {
                keys = [];
                index[value] = keys;
            }
            keys.Add(key);
        }
    }

    private void RemoveFromIndices(ObjectKey key, JsonObject obj)
    {
        foreach (var (name, func) in _indexers)
        {
            var index = _indices[name];
            foreach (var value in func(obj))
            {
                if (index.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
                {
                    index.Remove(value);
                }
            }
        }
    }
}
