using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Patching;

namespace Berth.Registry.Generic;

/// <summary>
/// Applies a patch of any of the four types to a private copy of an object in storage form. Malformed patches are
/// 400 and inapplicable ones 422 (from the machinery), never 500.
/// Mirrors the patch mechanics of kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go
/// (jsonPatcher, smpPatcher, applyPatcher).
/// </summary>
internal static class PatchApplier
{
    /// <summary>
    /// Returns the patched object; <paramref name="current"/> may be consumed. <paramref name="subresource"/> (null for
    /// the object itself) is where an apply records its entry; an apply conflict is 409 unless <c>force</c>.
    /// </summary>
    public static JsonObject Apply(ResourceKind kind, JsonObject current, PatchType type, JsonNode patch, WriteOptions options, DateTimeOffset now,
        string? subresource = null) =>
        type switch
        {
            PatchType.Json => JsonPatch.ApplyToObject(current, patch),
            PatchType.Merge => JsonMergePatch.ApplyToObject(current, patch),
            PatchType.StrategicMerge => StrategicMergePatch.Apply(current, AsObject(patch), kind),
            _ => ServerSideApply.Apply(current, AsObject(patch), kind, options.FieldManager ?? "", now, options.Force, subresource),
        };

    private static JsonObject AsObject(JsonNode patch) =>
        patch as JsonObject ?? throw Machinery.Errors.ApiErrors.BadRequest("the patch must be a JSON object");
}
