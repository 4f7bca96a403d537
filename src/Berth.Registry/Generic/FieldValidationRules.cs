using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;

namespace Berth.Registry.Generic;

/// <summary>
/// The <c>fieldValidation</c> query parameter applied to a decoded object: wrongly typed values are 400 and unknown
/// fields are always dropped (as decoding into the built-in types does upstream); <c>Strict</c> rejects unknown fields
/// with 400, <c>Warn</c> reports them as warnings.
/// Mirrors kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/endpoints/handlers (fieldValidation handling)
/// with sigs.k8s.io/json strict errors.
/// </summary>
internal static class FieldValidationRules
{
    /// <summary>
    /// Checks value types (400 on a mismatch, whatever the mode), prunes unknown fields of <paramref name="obj"/>
    /// (mutating it) and returns the warnings to send.
    /// </summary>
    public static IReadOnlyList<string> Apply(ResourceKind kind, JsonObject obj, FieldValidation mode)
    {
        var schema = ModelSchema.ForKind(kind);
        if (schema is null)
        {
            return [];
        }
        var (kindName, version) = (kind.Kind, kind.Version);
        var unknown = ModelConformance.Check(schema, obj, kindName, version);
        if (unknown.Count == 0 || mode == FieldValidation.Ignore)
        {
            return [];
        }
        var messages = unknown.Select(p => $"unknown field \"{p}\"").ToList();
        if (mode == FieldValidation.Strict)
        {
            throw ApiErrors.BadRequest(
                $"{kindName} in version \"{version}\" cannot be handled as a {kindName}: strict decoding error: {string.Join(", ", messages)}");
        }
        return messages;
    }
}
