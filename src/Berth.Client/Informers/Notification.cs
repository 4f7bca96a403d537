using System.Text.Json.Nodes;

namespace Berth.Client.Informers;

/// <summary>One pending handler call. <see cref="Initial"/> marks notifications that count towards the handler's sync.</summary>
internal readonly record struct Notification(
    NotificationKind Kind, JsonObject? OldObj, JsonObject Obj, DeletedFinalStateUnknown? Tombstone, bool Initial);

internal enum NotificationKind
{
    Add,
    Update,
    Delete,
}
