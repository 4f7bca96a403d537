using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Client.Informers;

/// <summary>
/// One cached object in a <see cref="ThreadSafeStore"/>: the object, its UTF-8 JSON when known, and the index values
/// computed when it was stored (so removal never needs the object). The object is <i>held</i> (referenced strongly)
/// from the upsert until <see cref="Release"/>; a released entry references it only weakly, so a full collection frees
/// it when no consumer uses it, and a later read re-parses <see cref="Utf8"/> and holds the result again until the
/// next release. An idle cache thus costs its bytes instead of the parsed trees (issue 2: RSS with 3,000 pods), and
/// objects in use while work goes on are parsed once.
/// </summary>
/// <remarks>
/// Thread-safe. <see cref="Object"/> re-parses under a lock on the weak reference, so concurrent readers of a
/// released entry get one instance, and the same instance as long as anyone references it (caches keyed on the
/// instance, such as <see cref="ModelCache{T}"/>, keep working).
/// </remarks>
internal sealed class StoreEntry
{
    private JsonObject? _held;
    private WeakReference<JsonObject>? _weak;

    public StoreEntry(JsonObject obj, ReadOnlyMemory<byte> utf8, string[][] indexValues)
    {
        _held = obj;
        Utf8 = utf8;
        IndexValues = indexValues;
    }

    /// <summary>The object's UTF-8 JSON; empty when its producer did not supply it (see <see cref="WithBytes"/>).</summary>
    public ReadOnlyMemory<byte> Utf8 { get; }

    /// <summary>The values of each index, in the store's indexer order.</summary>
    public string[][] IndexValues { get; }

    /// <summary>Whether the object is referenced strongly.</summary>
    public bool IsHeld => Volatile.Read(ref _held) is not null;

    /// <summary>The object: the held one, the weakly referenced one while it lives, or a fresh parse of <see cref="Utf8"/> (held again).</summary>
    public JsonObject Object
    {
        get
        {
            if (Volatile.Read(ref _held) is { } held)
            {
                return held;
            }
            var weak = Volatile.Read(ref _weak)!;
            lock (weak)
            {
                if (!weak.TryGetTarget(out var live))
                {
                    live = ApiJson.ParseObject(Utf8.Span);
                    weak.SetTarget(live);
                }
                Volatile.Write(ref _held, live);
                return live;
            }
        }
    }

    /// <summary>
    /// An entry for the same object with <see cref="Utf8"/> set (serialised here when unknown), held as this one is;
    /// this entry when its bytes are known. Reads the object only, so it may run outside the store lock.
    /// </summary>
    public StoreEntry WithBytes() =>
        !Utf8.IsEmpty ? this : new StoreEntry(Object, ApiJson.ToUtf8(Object), IndexValues) { _weak = _weak };

    /// <summary>Stops holding the object (only the weak reference remains). Requires <see cref="Utf8"/>; returns whether it was held.</summary>
    public bool Release()
    {
        if (Utf8.IsEmpty)
        {
            throw new InvalidOperationException("an entry without bytes cannot be released");
        }
        if (Volatile.Read(ref _held) is not { } held)
        {
            return false;
        }
        var weak = Volatile.Read(ref _weak);
        if (weak is null)
        {
            Volatile.Write(ref _weak, new WeakReference<JsonObject>(held));
        }
        else
        {
            lock (weak)
            {
                weak.SetTarget(held);
            }
        }
        Volatile.Write(ref _held, null);
        return true;
    }

    /// <summary>The same object with other index values (after indexers were added).</summary>
    public StoreEntry WithIndexValues(string[][] indexValues) => new(Object, Utf8, indexValues) { _weak = _weak };
}
