using System.Text.Json.Nodes;

namespace Berth.Storage;

/// <summary>
/// One object as stored. <see cref="Value"/> is UTF-8 JSON that already carries <c>metadata.resourceVersion</c>
/// equal to <see cref="Revision"/>. Immutable; safe to share between readers.
/// </summary>
public sealed record StoredObject(string Key, long Revision, long CreateRevision, ReadOnlyMemory<byte> Value)
{
    /// <summary>A fresh, mutable copy of the value.</summary>
    public JsonObject ToJsonObject() => JsonNode.Parse(Value.Span)!.AsObject();
}

/// <summary>One page of a list.</summary>
public sealed record StoreList(IReadOnlyList<StoredObject> Items, long Revision, bool HasMore);

public enum StoreEventType
{
    /// <summary>The key was created.</summary>
    Added,

    /// <summary>The key was updated.</summary>
    Modified,

    /// <summary>The key was deleted; the object is its last state with the deletion's revision.</summary>
    Deleted,
}

/// <summary>A change to one key. <see cref="Object"/> is the new state, or the last state for a delete.</summary>
public sealed record StoreEvent(StoreEventType Type, StoredObject Object, StoredObject? PreviousObject);
