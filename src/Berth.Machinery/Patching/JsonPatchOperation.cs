using System.Text.Json.Nodes;
using Berth.Machinery.Errors;

namespace Berth.Machinery.Patching;

/// <summary>
/// One parsed RFC 6902 operation. Parsing rejects a malformed operation (unknown <c>op</c>, a missing <c>path</c>,
/// <c>from</c> or <c>value</c>) with a 400, before anything is applied.
/// </summary>
internal sealed record JsonPatchOperation(string Op, JsonPointer Path, JsonPointer? From, JsonNode? Value)
{
    private static readonly HashSet<string> Ops = ["add", "remove", "replace", "move", "copy", "test"];

    public static JsonPatchOperation Parse(JsonNode? node, int index)
    {
        if (node is not JsonObject obj)
        {
            throw ApiErrors.BadRequest($"invalid JSON patch: operation {index} is not a JSON object");
        }
        var op = RequiredString(obj, "op", index);
        if (!Ops.Contains(op))
        {
            throw ApiErrors.BadRequest($"invalid JSON patch: operation {index} has unsupported op \"{op}\"");
        }
        var path = JsonPointer.Parse(RequiredString(obj, "path", index));
        var from = op is "move" or "copy" ? JsonPointer.Parse(RequiredString(obj, "from", index)) : null;
        if (op is "add" or "replace" or "test" && !obj.ContainsKey("value"))
        {
            throw ApiErrors.BadRequest($"invalid JSON patch: operation {index} ({op}) has no \"value\"");
        }
        return new JsonPatchOperation(op, path, from, obj["value"]);
    }

    private static string RequiredString(JsonObject obj, string member, int index) =>
        obj[member] is JsonValue v && v.TryGetValue<string>(out var s)
            ? s
            : throw ApiErrors.BadRequest($"invalid JSON patch: operation {index} has no string \"{member}\"");
}
