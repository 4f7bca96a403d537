using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;

namespace Berth.Machinery.Patching;

/// <summary>
/// Strategic merge patch (<c>application/strategic-merge-patch+json</c>: kubectl apply, set image, rollout restart,
/// cordon) over <see cref="JsonObject"/>. Like JSON merge patch, except that lists tagged <c>merge</c> in
/// <see cref="PatchMergeKeys"/> merge element by element, and these directives are honoured:
/// <c>$patch: replace|delete|merge</c> on objects and list elements, <c>$setElementOrder/&lt;list&gt;</c>,
/// <c>$retainKeys</c>, <c>$deleteFromPrimitiveList/&lt;list&gt;</c>; <c>null</c> deletes a key.
/// Pure and thread-safe: the original and the patch are never mutated and the result shares no nodes with them.
/// Errors: a malformed patch is a 400 (upstream answers some of these with a 500; we never do); a list of lists is
/// a 422 as upstream.
/// </summary>
/// <remarks>
/// Mirrors StrategicMergeMapPatch in k8s.io/apimachinery/pkg/util/strategicpatch/patch.go with the server's options
/// (MergeParallelList, IgnoreUnmatchedNulls). Deliberate differences, all for inputs kubectl never sends:
/// a patch value landing where the original has nothing is cleaned of directives and nulls (upstream stores it raw
/// and lets typed decoding drop them; we store JSON, so we must); <c>$patch: merge</c> is accepted as the default
/// (upstream rejects it); <c>$deleteFromPrimitiveList</c> on a missing or non-merge list deletes nothing (upstream
/// sets the list to the deletion list); <c>$setElementOrder</c> on a list that is not a merge list is ignored.
/// </remarks>
public static partial class StrategicMergePatch
{
    private const string DirectiveMarker = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    /// <summary>
    /// Applies <paramref name="patch"/> to <paramref name="original"/> using <paramref name="kind"/>'s merge keys,
    /// or JSON merge patch semantics when the kind has none (<see cref="PatchMergeKeys.ForKind"/> is null).
    /// </summary>
    public static JsonObject Apply(JsonObject original, JsonObject patch, ResourceKind kind)
    {
        var schema = PatchMergeKeys.ForKind(kind);
        return schema is null ? JsonMergePatch.ApplyToObject(original, patch) : Apply(original, patch, schema);
    }

    /// <summary>Applies <paramref name="patch"/> with an explicit schema (tests, nested documents).</summary>
    public static JsonObject Apply(JsonObject original, JsonObject patch, PatchSchema schema) =>
        MergeMap((JsonObject)original.DeepClone(), patch, schema);

    /// <summary>
    /// Merges <paramref name="patch"/> into <paramref name="original"/>, which this call owns and mutates.
    /// Returns <paramref name="original"/> or, for <c>$patch: replace|delete</c>, a new detached object.
    /// </summary>
    private static JsonObject MergeMap(JsonObject original, JsonObject patch, PatchSchema schema)
    {
        if (patch.TryGetPropertyValue(DirectiveMarker, out var directive))
        {
            switch (StringOrNull(directive))
            {
                case "replace":
                    return Fresh(WithoutKey(patch, DirectiveMarker), schema);
                case "delete":
                    return new JsonObject();
                case "merge":
                    break;
                default:
                    throw ApiErrors.BadRequest($"unknown patch type: {directive?.ToJsonString()} in map: {patch.ToJsonString()}");
            }
        }
        ApplyRetainKeys(original, patch);
        var handled = ApplySetElementOrder(original, patch, schema);
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith('$'))
            {
                RejectUnknownDirective(key);
            }
            else if (!handled.Contains(key))
            {
                MergeField(original, key, value, schema.Field(key));
            }
        }
        foreach (var (key, value) in patch.Where(p => p.Key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal)))
        {
            DeleteFromPrimitiveList(original, key[DeleteFromPrimitiveListPrefix.Length..], value);
        }
        return original;
    }

    private static void MergeField(JsonObject original, string key, JsonNode? patchValue, PatchField? field)
    {
        if (patchValue is null)
        {
            original.Remove(key);
            return;
        }
        original.TryGetPropertyValue(key, out var current);
        if (current is null || Category(current) != Category(patchValue))
        {
            original[key] = Fresh(patchValue, field);
            return;
        }
        JsonNode merged = (current, patchValue) switch
        {
            (JsonObject _, JsonObject _) when field?.Strategy == PatchStrategy.Replace => patchValue.DeepClone(),
            (JsonObject o, JsonObject p) => MergeMap(o, p, field?.Schema ?? PatchSchema.Empty),
            (JsonArray o, JsonArray p) when field is { IsMergeList: true } => MergeList(o, p, field),
            _ => patchValue.DeepClone(),
        };
        if (!ReferenceEquals(merged, current))
        {
            original[key] = merged;
        }
    }

    /// <summary>A patch value placed where the original has nothing, cleaned of directives and nulls.</summary>
    private static JsonNode Fresh(JsonNode patchValue, PatchField? field) => patchValue switch
    {
        JsonObject o when field?.Strategy != PatchStrategy.Replace => Fresh(o, field?.Schema ?? PatchSchema.Empty),
        JsonArray a when field is { IsMergeList: true } => MergeList(new JsonArray(), a, field),
        _ => patchValue.DeepClone(),
    };

    private static JsonObject Fresh(JsonObject patch, PatchSchema schema) => MergeMap(new JsonObject(), patch, schema);

    private static void RejectUnknownDirective(string key)
    {
        if (key is DirectiveMarker or RetainKeysDirective
            || key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal)
            || key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
        {
            return;
        }
        throw key.StartsWith("$setElementOrder", StringComparison.Ordinal)
            ? ApiErrors.BadRequest("invalid patch format of setElementOrder list")
            : key.StartsWith("$deleteFromPrimitiveList", StringComparison.Ordinal)
                ? ApiErrors.BadRequest("invalid patch format of primitive list")
                : ApiErrors.BadRequest($"unknown strategic merge patch directive \"{key}\"");
    }

    private static JsonObject WithoutKey(JsonObject obj, string key)
    {
        var copy = new JsonObject();
        foreach (var (k, v) in obj.Where(p => p.Key != key))
        {
            copy[k] = v?.DeepClone();
        }
        return copy;
    }

    /// <summary>0 object, 1 array, 2 scalar: a change of category replaces the value instead of merging it.</summary>
    private static int Category(JsonNode node) => node switch
    {
        JsonObject => 0,
        JsonArray => 1,
        _ => 2,
    };

    private static string? StringOrNull(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
