using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Client.Informers;

/// <summary>
/// One cached object in a <see cref="ThreadSafeStore"/>: the object itself, its UTF-8 JSON when known, and the index
/// values computed when it was stored (so removal never needs the object). An entry is <i>held</i> (the object is
/// referenced strongly) from the upsert until <see cref="Released"/>; a released entry references the object only
/// weakly and re-parses its bytes when the object was collected, so an idle cache costs its bytes instead of the
/// parsed tree (issue 2: RSS with 3,000 pods).
/// </summary>
/// <remarks>
/// Immutable apart from the weak target. Thread-safe: <see cref="Object"/> re-parses under a lock on the weak
/// reference, so concurrent readers of a released entry get one instance, and the same instance as long as anyone
/// references it (caches keyed on the instance, such as <see cref="ModelCache{T}"/>, keep working).
/// </remarks>
internal sealed class StoreEntry
{
    /// <summary>The object (held) or a <see cref="WeakReference{T}"/> to it (released).</summary>
    private readonly object _target;

    public StoreEntry(JsonObject obj, ReadOnlyMemory<byte> utf8, string[][] indexValues)
    {
        _target = obj;
        Utf8 = utf8;
        IndexValues = indexValues;
    }

    private StoreEntry(object target, ReadOnlyMemory<byte> utf8, string[][] indexValues)
    {
        _target = target;
        Utf8 = utf8;
        IndexValues = indexValues;
    }

    /// <summary>The object's UTF-8 JSON; empty for a held entry whose producer did not supply it.</summary>
    public ReadOnlyMemory<byte> Utf8 { get; }

    /// <summary>The values of each index, in the store's indexer order.</summary>
    public string[][] IndexValues { get; }

    /// <summary>Whether the object is referenced strongly.</summary>
    public bool IsHeld => _target is JsonObject;

    /// <summary>The object: the held one, the weakly referenced one while it lives, or a fresh parse of <see cref="Utf8"/>.</summary>
    public JsonObject Object
    {
        get
        {
            if (_target is JsonObject held)
            {
                return held;
            }
            var weak = (WeakReference<JsonObject>)_target;
            lock (weak)
            {
                if (!weak.TryGetTarget(out var live))
                {
                    live = ApiJson.ParseObject(Utf8.Span);
                    weak.SetTarget(live);
                }
                return live;
            }
        }
    }

    /// <summary>
    /// This entry with the object referenced weakly (serialised first when its bytes are unknown); the entry itself
    /// when already released. May run outside the store lock: it only reads the entry.
    /// </summary>
    public StoreEntry Released()
    {
        if (_target is not JsonObject held)
        {
            return this;
        }
        var utf8 = Utf8.IsEmpty ? ApiJson.ToUtf8(held) : Utf8;
        return new StoreEntry(new WeakReference<JsonObject>(held), utf8, IndexValues);
    }

    /// <summary>The same object with other index values (after indexers were added).</summary>
    public StoreEntry WithIndexValues(string[][] indexValues) => new(_target, Utf8, indexValues);
}
