using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.ConfigMaps;

/// <summary>
/// Rules shared by ConfigMap and Secret payloads: key syntax, base64 sizes and the <c>immutable</c> flag.
/// Mirrors kubernetes/kubernetes pkg/apis/core/validation (IsConfigMapKey use, ValidateConfigMapUpdate,
/// ValidateSecretUpdate).
/// </summary>
internal static class DataKeys
{
    private const string ImmutableMessage = "field is immutable when `immutable` is set";

    public static void Validate(string key, string map, List<FieldError> errs)
    {
        foreach (var msg in QualifiedNameValidation.IsConfigMapKey(key))
        {
            errs.Add(FieldError.Invalid(FieldPath.Key(map, key), key, msg));
        }
    }

    /// <summary>Decoded size of a base64 string, without decoding it.</summary>
    public static long DecodedLength(string base64)
    {
        var padding = base64.EndsWith("==", StringComparison.Ordinal) ? 2 : base64.EndsWith('=') ? 1 : 0;
        return Math.Max(0, base64.Length / 4 * 3 - padding);
    }

    /// <summary>Once the old object is immutable, the flag may not be cleared and the payload may not change.</summary>
    public static void ValidateImmutable(JsonObject newObj, JsonObject oldObj, string[] payloadFields, List<FieldError> errs)
    {
        if (JsonFields.AsBool(oldObj["immutable"]) != true)
        {
            return;
        }
        if (JsonFields.AsBool(newObj["immutable"]) != true)
        {
            errs.Add(FieldError.Forbidden("immutable", ImmutableMessage));
        }
        foreach (var field in payloadFields)
        {
            if (!JsonSemantics.Equal(newObj[field], oldObj[field]))
            {
                errs.Add(FieldError.Forbidden(field, ImmutableMessage));
            }
        }
    }
}
