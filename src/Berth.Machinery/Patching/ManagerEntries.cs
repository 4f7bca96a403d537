using System.Text.Json.Nodes;

namespace Berth.Machinery.Patching;

/// <summary>
/// Reads and writes the <c>metadata.managedFields</c> list as <see cref="ManagerEntry"/> values. Reading never throws:
/// a malformed list (an entry that is not an object, lacks apiVersion, has an unknown operation or fieldsType, or whose
/// strings are not strings) reads as null, so callers fall back to the stored entries as upstream's DecodeManagedFields
/// callers do. Writing drops entries that own nothing and sorts as upstream encodes: operation, time, manager,
/// apiVersion, subresource.
/// </summary>
internal static class ManagerEntries
{
    /// <summary>
    /// The entries of <paramref name="obj"/>: empty when it has none, null when they are malformed. With
    /// <paramref name="movable"/>, unchanged entries are moved into the list <see cref="Write"/> sets on the same object.
    /// </summary>
    public static List<ManagerEntry>? TryRead(JsonObject? obj, bool movable = false)
    {
        var list = (obj?["metadata"] as JsonObject)?["managedFields"];
        if (list is null)
        {
            return [];
        }
        if (list is not JsonArray array)
        {
            return null;
        }
        var entries = new List<ManagerEntry>(array.Count);
        foreach (var item in array)
        {
            if (Parse(item, movable) is not { } entry)
            {
                return null;
            }
            entries.Add(entry);
        }
        return entries;
    }

    /// <summary>The entries of <paramref name="obj"/>, or none when they are missing or malformed.</summary>
    public static List<ManagerEntry> Read(JsonObject? obj) => TryRead(obj) ?? [];

    /// <summary>Sets <c>metadata.managedFields</c> of <paramref name="obj"/> to the non-empty entries, sorted; removes it when none are left.</summary>
    public static void Write(JsonObject obj, List<ManagerEntry> entries)
    {
        entries.RemoveAll(e => e.IsEmpty);
        entries.Sort(Compare);
        if (obj["metadata"] is not JsonObject meta)
        {
            meta = new JsonObject();
            obj["metadata"] = meta;
        }
        (meta["managedFields"] as JsonArray)?.Clear();
        if (entries.Count == 0)
        {
            meta.Remove("managedFields");
            return;
        }
        meta["managedFields"] = new JsonArray([.. entries.Select(e => (JsonNode)e.ToJson())]);
    }

    private static ManagerEntry? Parse(JsonNode? item, bool movable)
    {
        if (item is not JsonObject json ||
            !TryString(json, "manager", out var manager) || !TryString(json, "operation", out var operation) ||
            !TryString(json, "apiVersion", out var apiVersion) || !TryString(json, "subresource", out var subresource) ||
            !TryString(json, "time", out var time) || !TryString(json, "fieldsType", out var fieldsType))
        {
            return null;
        }
        var validOperation = operation is ManagedFields.ApplyOperation or ManagedFields.UpdateOperation;
        var fieldsV1 = json["fieldsV1"];
        if (!validOperation || string.IsNullOrEmpty(apiVersion) || fieldsType != "FieldsV1" || (fieldsV1 is not null and not JsonObject))
        {
            return null;
        }
        return new ManagerEntry(manager ?? "", operation!, apiVersion, subresource, time, json, movable);
    }

    /// <summary>True when the member is absent (null out) or a JSON string.</summary>
    private static bool TryString(JsonObject json, string name, out string? value)
    {
        value = null;
        var node = json[name];
        return node is null || (node is JsonValue v && v.TryGetValue(out value));
    }

    private static int Compare(ManagerEntry a, ManagerEntry b)
    {
        var c = string.CompareOrdinal(a.Operation, b.Operation);
        c = c != 0 ? c : string.CompareOrdinal(a.Time ?? "", b.Time ?? "");
        c = c != 0 ? c : string.CompareOrdinal(a.Manager, b.Manager);
        c = c != 0 ? c : string.CompareOrdinal(a.ApiVersion, b.ApiVersion);
        return c != 0 ? c : string.CompareOrdinal(a.Subresource ?? "", b.Subresource ?? "");
    }
}
