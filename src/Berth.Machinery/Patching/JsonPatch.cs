using System.Text.Json.Nodes;
using Berth.Machinery.Errors;

namespace Berth.Machinery.Patching;

/// <summary>
/// RFC 6902 JSON patch (<c>application/json-patch+json</c>: kubectl patch --type=json, rollout undo) over
/// <see cref="JsonNode"/>. Operations apply in order to a deep copy, so the input is never mutated and a failing
/// patch leaves nothing half-applied. Pure and thread-safe.
/// Errors: a malformed patch (not an array, unknown op, missing member, bad pointer syntax) is a 400; a well-formed
/// patch that does not apply (missing path, index out of range, failed <c>test</c>) is a 422, as upstream's
/// k8s.io/apiserver patch.go answers through NewGenericServerResponse(422); more than <see cref="MaxOperations"/>
/// operations is a 413. Never a 500.
/// </summary>
/// <remarks>
/// Hand-written rather than Microsoft.AspNetCore.JsonPatch.SystemTextJson: that library applies patches through
/// adapters built for typed objects, serialises values through object, and its <c>test</c> on a JsonObject rejects a
/// null or empty-string target value outright, which RFC 6902 allows. Our documents are JsonObject in storage form,
/// so a JsonNode-native implementation with deep equality is both shorter to reason about and exact.
/// Mirrors the behaviour of evanphx/json-patch as used by k8s.io/apiserver/pkg/endpoints/handlers/patch.go.
/// </remarks>
public static class JsonPatch
{
    /// <summary>Upstream's maxJSONPatchOperations.</summary>
    public const int MaxOperations = 10000;

    /// <summary>Applies <paramref name="patch"/> (a JSON array of operations) and returns the new document.</summary>
    public static JsonNode? Apply(JsonNode? document, JsonNode? patch)
    {
        var operations = ParseOperations(patch);
        var root = document?.DeepClone();
        foreach (var operation in operations)
        {
            root = ApplyOperation(root, operation);
        }
        return root;
    }

    /// <summary>Applies a patch to a stored object; a patch that turns the root into a non-object is a 422.</summary>
    public static JsonObject ApplyToObject(JsonObject original, JsonNode? patch) =>
        Apply(original, patch) as JsonObject
            ?? throw ApiErrors.UnprocessableEntity("JSON patch replaced the object with a non-object value");

    private static List<JsonPatchOperation> ParseOperations(JsonNode? patch)
    {
        if (patch is not JsonArray array)
        {
            throw ApiErrors.BadRequest("invalid JSON patch: expected a JSON array of operations, got " + JsonMergePatch.KindOf(patch));
        }
        if (array.Count > MaxOperations)
        {
            throw ApiErrors.RequestEntityTooLarge(
                $"The allowed maximum operations in a JSON patch is {MaxOperations}, got {array.Count}");
        }
        return array.Select(JsonPatchOperation.Parse).ToList();
    }

    private static JsonNode? ApplyOperation(JsonNode? root, JsonPatchOperation op)
    {
        switch (op.Op)
        {
            case "add":
                return Add(root, op.Path, op.Value?.DeepClone());
            case "remove":
                Remove(root, op.Path);
                return root;
            case "replace":
                return Replace(root, op.Path, op.Value?.DeepClone());
            case "move":
                return Move(root, op.From!, op.Path);
            case "copy":
                return Add(root, op.Path, op.From!.Resolve(root)?.DeepClone());
            default:
                Test(root, op.Path, op.Value);
                return root;
        }
    }

    private static JsonNode? Add(JsonNode? root, JsonPointer path, JsonNode? value)
    {
        if (path.IsRoot)
        {
            return value;
        }
        switch (path.ResolveParent(root))
        {
            case JsonObject obj:
                obj[path.LastToken] = value;
                break;
            case JsonArray array when path.LastToken == "-":
                array.Add(value);
                break;
            case JsonArray array:
                array.Insert(path.ArrayIndex(path.LastToken, array.Count, allowEnd: true), value);
                break;
            case var other:
                throw NotAContainer(path, other);
        }
        return root;
    }

    /// <summary>Detaches and returns the node at <paramref name="path"/>; a missing member is a 422.</summary>
    private static JsonNode? Remove(JsonNode? root, JsonPointer path)
    {
        if (path.IsRoot)
        {
            throw ApiErrors.UnprocessableEntity("remove operation does not apply: cannot remove the whole document");
        }
        switch (path.ResolveParent(root))
        {
            case JsonObject obj when obj.TryGetPropertyValue(path.LastToken, out var removed):
                obj.Remove(path.LastToken);
                return removed;
            case JsonArray array:
                var index = path.ArrayIndex(path.LastToken, array.Count, allowEnd: false);
                var item = array[index];
                array.RemoveAt(index);
                return item;
            case JsonObject:
                throw ApiErrors.UnprocessableEntity($"remove operation does not apply: doc is missing path: \"{path}\"");
            case var other:
                throw NotAContainer(path, other);
        }
    }

    private static JsonNode? Replace(JsonNode? root, JsonPointer path, JsonNode? value)
    {
        if (path.IsRoot)
        {
            return value;
        }
        switch (path.ResolveParent(root))
        {
            case JsonObject obj when obj.ContainsKey(path.LastToken):
                obj[path.LastToken] = value;
                return root;
            case JsonArray array:
                array[path.ArrayIndex(path.LastToken, array.Count, allowEnd: false)] = value;
                return root;
            case JsonObject:
                throw ApiErrors.UnprocessableEntity($"replace operation does not apply: doc is missing key: \"{path}\"");
            case var other:
                throw NotAContainer(path, other);
        }
    }

    private static JsonNode? Move(JsonNode? root, JsonPointer from, JsonPointer path)
    {
        if (from.Text == path.Text)
        {
            from.Resolve(root);
            return root;
        }
        if (from.IsProperPrefixOf(path))
        {
            throw ApiErrors.UnprocessableEntity($"move operation does not apply: \"{from}\" is a prefix of \"{path}\"");
        }
        var value = Remove(root, from);
        return Add(root, path, value);
    }

    private static void Test(JsonNode? root, JsonPointer path, JsonNode? expected)
    {
        var actual = path.Resolve(root);
        if (!JsonNode.DeepEquals(actual, expected))
        {
            throw ApiErrors.UnprocessableEntity(
                $"testing value {path} failed: expected {expected?.ToJsonString() ?? "null"}, found {actual?.ToJsonString() ?? "null"}");
        }
    }

    private static ApiException NotAContainer(JsonPointer path, JsonNode? parent) =>
        ApiErrors.UnprocessableEntity($"path \"{path}\" does not apply: parent is {JsonMergePatch.KindOf(parent)}, not an object or array");
}
