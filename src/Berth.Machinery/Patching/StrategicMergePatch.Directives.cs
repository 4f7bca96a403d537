using System.Text.Json.Nodes;
using Berth.Machinery.Errors;

namespace Berth.Machinery.Patching;

/// <summary>The parallel-list directives of <see cref="StrategicMergePatch"/>: $retainKeys, $setElementOrder, $deleteFromPrimitiveList.</summary>
public static partial class StrategicMergePatch
{
    /// <summary>
    /// <c>$retainKeys: [k…]</c>: drops every key of <paramref name="original"/> not listed. Every non-null field the
    /// patch sets must be listed, else 400 (upstream applyRetainKeysDirective).
    /// </summary>
    private static void ApplyRetainKeys(JsonObject original, JsonObject patch)
    {
        if (!patch.TryGetPropertyValue(RetainKeysDirective, out var node))
        {
            return;
        }
        if (node is not JsonArray list)
        {
            throw ApiErrors.BadRequest("invalid patch format of retainKeys");
        }
        var keep = list.Select(n => StringOrNull(n) ?? n?.ToJsonString() ?? "null").ToHashSet(StringComparer.Ordinal);
        if (patch.Any(p => p.Value is not null && !p.Key.StartsWith('$') && !keep.Contains(p.Key)))
        {
            throw ApiErrors.BadRequest("invalid patch format of retainKeys");
        }
        foreach (var key in original.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
        {
            original.Remove(key);
        }
    }

    /// <summary>
    /// <c>$setElementOrder/&lt;list&gt;: [...]</c>: merges the named merge list (if the patch has it) and orders the
    /// result: listed elements in the listed order, unlisted original elements keeping their relative position.
    /// Listed elements absent from the result are ignored. Returns the list keys fully handled here.
    /// </summary>
    private static HashSet<string> ApplySetElementOrder(JsonObject original, JsonObject patch, PatchSchema schema)
    {
        var handled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (directiveKey, orderNode) in patch.Where(p => p.Key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal)))
        {
            var listKey = directiveKey[SetElementOrderPrefix.Length..];
            if (listKey.Length == 0 || orderNode is not JsonArray order)
            {
                throw ApiErrors.BadRequest("invalid patch format of setElementOrder list");
            }
            var field = schema.Field(listKey);
            if (field is not { IsMergeList: true })
            {
                continue;
            }
            var originalList = ListOrNull(original, listKey);
            var patchList = ListOrNull(patch, listKey);
            if (originalList is null && patchList is null)
            {
                continue;
            }
            ValidateSetOrder(patchList, order, field.MergeKey);
            var serverOrder = originalList?.ToList() ?? [];
            var merged = patchList is null ? originalList! : MergeList(originalList ?? new JsonArray(), patchList, field);
            original[listKey] = Normalize(Detach(merged), [.. order], serverOrder, field.MergeKey);
            handled.Add(listKey);
        }
        return handled;
    }

    /// <summary>The patch's elements (ignoring <c>$patch</c> ones) must appear in the order list in the same relative order.</summary>
    private static void ValidateSetOrder(JsonArray? patchList, JsonArray order, string? key)
    {
        if (key is not null)
        {
            foreach (var item in order)
            {
                MergeKeyValue(item as JsonObject ?? throw ApiErrors.BadRequest("invalid patch format of setElementOrder list"), key);
            }
        }
        var elements = patchList?.Where(p => p is not JsonObject o || !o.ContainsKey(DirectiveMarker)).ToList() ?? [];
        int p = 0, s = 0;
        while (p < elements.Count && s < order.Count)
        {
            var equal = key is null
                ? JsonNode.DeepEquals(elements[p], order[s])
                : JsonNode.DeepEquals(MergeKeyValue(AsObject(elements[p]), key), ((JsonObject)order[s]!)[key]);
            p += equal ? 1 : 0;
            s++;
        }
        if (p < elements.Count)
        {
            throw ApiErrors.BadRequest(
                $"The order in patch list: {patchList!.ToJsonString()} doesn't match $setElementOrder list: {order.ToJsonString()}");
        }
    }

    /// <summary><c>$deleteFromPrimitiveList/&lt;list&gt;: [v…]</c>: removes those values from the original primitive list.</summary>
    private static void DeleteFromPrimitiveList(JsonObject original, string listKey, JsonNode? values)
    {
        if (listKey.Length == 0 || values is not JsonArray toDelete)
        {
            throw ApiErrors.BadRequest("invalid patch format of primitive list");
        }
        if (original[listKey] is not JsonArray list)
        {
            return;
        }
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (toDelete.Any(d => JsonNode.DeepEquals(d, list[i])))
            {
                list.RemoveAt(i);
            }
        }
    }

    private static JsonArray? ListOrNull(JsonObject obj, string key) => obj[key] switch
    {
        null => null,
        JsonArray array => array,
        var other => throw ApiErrors.BadRequest($"expected a list for \"{key}\", but received {JsonMergePatch.KindOf(other)}"),
    };

    private static JsonObject AsObject(JsonNode? node) =>
        node as JsonObject ?? throw ApiErrors.BadRequest("list element types are not identical: expected a map, but received " + JsonMergePatch.KindOf(node));
}
