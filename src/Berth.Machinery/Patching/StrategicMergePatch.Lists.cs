using System.Text.Json.Nodes;
using Berth.Machinery.Errors;

namespace Berth.Machinery.Patching;

/// <summary>List merging and ordering of <see cref="StrategicMergePatch"/> (upstream mergeSlice and normalizeElementOrder).</summary>
public static partial class StrategicMergePatch
{
    /// <summary>
    /// Merges a merge-strategy list. <paramref name="original"/> is owned: its elements are detached and reused.
    /// Objects merge by the field's merge key, primitives form an ordered set; then elements named by the patch
    /// take the patch's order and original-only elements keep their relative order around them.
    /// </summary>
    private static JsonArray MergeList(JsonArray original, JsonArray patch, PatchField field)
    {
        var originalItems = Detach(original);
        if (originalItems.Count == 0 && patch.Count == 0)
        {
            return new JsonArray();
        }
        if (!AreObjectElements(originalItems, patch))
        {
            var union = new List<JsonNode?>();
            foreach (var item in originalItems.Concat(patch.Select(p => p?.DeepClone())))
            {
                if (IndexOf(union, item, null) < 0)
                {
                    union.Add(item);
                }
            }
            return Normalize(union, [.. patch], originalItems, null);
        }
        var key = field.MergeKey ?? throw ApiErrors.BadRequest("cannot merge lists without merge key for type map");
        var schema = field.Schema ?? PatchSchema.Empty;
        var (serverItems, plainPatch) = ApplySpecialElements(originalItems, patch, key, schema);
        var merged = MergeByKey([.. serverItems], plainPatch, key, schema);
        return Normalize(merged, [.. plainPatch], serverItems, key);
    }

    /// <summary>
    /// Handles list elements carrying <c>$patch</c>: <c>delete</c> drops original elements with that key,
    /// <c>replace</c> makes the other patch elements the whole list. Returns the original to merge into and
    /// the patch elements left to merge.
    /// </summary>
    private static (List<JsonNode?> Original, List<JsonObject> Patch) ApplySpecialElements(
        List<JsonNode?> original, JsonArray patch, string key, PatchSchema schema)
    {
        var plain = new List<JsonObject>();
        var replace = false;
        foreach (var element in patch.OfType<JsonObject>())
        {
            if (!element.TryGetPropertyValue(DirectiveMarker, out var directive))
            {
                plain.Add(element);
                continue;
            }
            switch (StringOrNull(directive))
            {
                case "delete":
                    var value = MergeKeyValue(element, key);
                    original.RemoveAll(o => o is JsonObject obj && obj.TryGetPropertyValue(key, out var v) && JsonNode.DeepEquals(v, value));
                    break;
                case "replace":
                    replace = true;
                    break;
                case "merge":
                    plain.Add(element);
                    break;
                default:
                    throw ApiErrors.BadRequest($"unknown patch type: {directive?.ToJsonString()} in map: {element.ToJsonString()}");
            }
        }
        return replace ? (plain.Select(p => (JsonNode?)Fresh(p, schema)).ToList(), []) : (original, plain);
    }

    private static List<JsonNode?> MergeByKey(List<JsonNode?> items, List<JsonObject> patch, string key, PatchSchema schema)
    {
        foreach (var element in patch)
        {
            var value = MergeKeyValue(element, key);
            var index = items.FindIndex(i => i is JsonObject o && o.TryGetPropertyValue(key, out var v) && JsonNode.DeepEquals(v, value));
            if (index >= 0)
            {
                items[index] = MergeMap((JsonObject)items[index]!, element, schema);
            }
            else
            {
                items.Add(Fresh(element, schema));
            }
        }
        return items;
    }

    /// <summary>
    /// Orders <paramref name="merged"/>: elements present in <paramref name="patchOrder"/> sorted by it, the rest
    /// sorted by <paramref name="serverOrder"/>, then interleaved so each server-only element stays in front of the
    /// first patch element that followed it in the original (upstream normalizeElementOrder + mergeSortedSlice).
    /// </summary>
    private static JsonArray Normalize(List<JsonNode?> merged, List<JsonNode?> patchOrder, List<JsonNode?> serverOrder, string? key)
    {
        var inPatch = merged.Where(m => IndexOf(patchOrder, m, key) >= 0).OrderBy(m => IndexOf(patchOrder, m, key)).ToList();
        var serverOnly = merged.Where(m => IndexOf(patchOrder, m, key) < 0).OrderBy(m => IndexOf(serverOrder, m, key)).ToList();
        var result = new List<JsonNode?>(merged.Count);
        int i = 0, j = 0;
        while (i < serverOnly.Count || j < inPatch.Count)
        {
            if (j >= inPatch.Count)
            {
                result.Add(serverOnly[i++]);
            }
            else if (i >= serverOnly.Count)
            {
                result.Add(inPatch[j++]);
            }
            else
            {
                var left = IndexOf(serverOrder, serverOnly[i], key);
                var right = IndexOf(serverOrder, inPatch[j], key);
                result.Add(left >= 0 && right >= 0 && left < right ? serverOnly[i++] : inPatch[j++]);
            }
        }
        return new JsonArray([.. result]);
    }

    /// <summary>Position of <paramref name="item"/> in <paramref name="list"/>, by merge key value for objects, by value otherwise.</summary>
    private static int IndexOf(List<JsonNode?> list, JsonNode? item, string? key)
    {
        var probe = key is null ? item : (item as JsonObject)?[key];
        for (var i = 0; i < list.Count; i++)
        {
            var candidate = key is null ? list[i] : (list[i] as JsonObject)?[key];
            if (JsonNode.DeepEquals(candidate, probe))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>True for lists of objects, false for lists of primitives; a list of lists or a mix is rejected.</summary>
    private static bool AreObjectElements(List<JsonNode?> original, JsonArray patch)
    {
        var all = original.Concat(patch).Where(n => n is not null).ToList();
        if (all.Any(n => n is JsonArray))
        {
            throw ApiErrors.UnprocessableEntity("lists of lists are not supported");
        }
        var objects = all.Count(n => n is JsonObject);
        if (objects != 0 && objects != all.Count)
        {
            throw ApiErrors.BadRequest("list element types are not identical: " + new JsonArray([.. patch.Select(p => p?.DeepClone())]).ToJsonString());
        }
        return objects > 0;
    }

    private static JsonNode? MergeKeyValue(JsonObject element, string key) =>
        element.TryGetPropertyValue(key, out var value)
            ? value
            : throw ApiErrors.BadRequest($"map: {element.ToJsonString()} does not contain declared merge key: {key}");

    /// <summary>Removes and returns the elements of <paramref name="array"/>, so they can be placed in another array.</summary>
    private static List<JsonNode?> Detach(JsonArray array)
    {
        var items = array.ToList();
        array.Clear();
        return items;
    }
}
