using System.Text.Json.Nodes;
using Berth.Machinery.Errors;

namespace Berth.Machinery.Patching;

/// <summary>
/// RFC 7386 JSON merge patch over <see cref="JsonNode"/>: a patch object merges into the target key by key, a null
/// value deletes the key, and anything else (arrays included) replaces the target value whole. Inputs are never
/// mutated; the result shares no nodes with them. Pure and thread-safe.
/// Serves <c>application/merge-patch+json</c> (kubectl label, annotate, scale) and the strategic-merge-patch fallback
/// for kinds without merge keys. Mirrors the MergePatch of evanphx/json-patch used by k8s.io/apiserver patch.go.
/// </summary>
public static class JsonMergePatch
{
    /// <summary>Merges <paramref name="patch"/> into <paramref name="target"/> and returns the new document.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        MergeInto(result, patchObject);
        return result;
    }

    /// <summary>
    /// Applies a merge patch to a stored object. Throws a 400 when <paramref name="patch"/> is not a JSON object,
    /// because the result of patching an object with anything else is not an object.
    /// </summary>
    public static JsonObject ApplyToObject(JsonObject original, JsonNode? patch)
    {
        if (patch is not JsonObject)
        {
            throw ApiErrors.BadRequest("merge patch must be a JSON object, got " + KindOf(patch));
        }
        return (JsonObject)Apply(original, patch)!;
    }

    /// <summary>Merges in place: <paramref name="target"/> is mutated, <paramref name="patch"/> is only read.</summary>
    internal static void MergeInto(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchChild)
            {
                if (target[key] is not JsonObject targetChild)
                {
                    targetChild = new JsonObject();
                    target[key] = targetChild;
                }
                MergeInto(targetChild, patchChild);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    internal static string KindOf(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        _ => node.GetValueKind().ToString().ToLowerInvariant(),
    };
}
