using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;

namespace Berth.Registry.Generic;

/// <summary>
/// The <c>fieldValidation</c> query parameter applied to a decoded object: unknown fields are always dropped (as decoding
/// into the built-in types does upstream); <c>Strict</c> rejects them with 400, <c>Warn</c> reports them as warnings.
/// Mirrors kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/endpoints/handlers (fieldValidation handling)
/// with sigs.k8s.io/json strict errors.
/// </summary>
internal static class FieldValidationRules
{
    /// <summary>Prunes unknown fields of <paramref name="obj"/> (mutating it) and returns the warnings to send.</summary>
    /// <remarks>Also rejects values of the wrong JSON type with 400 (<see cref="ModelTypeCheck"/>).</remarks>
    public static IReadOnlyList<string> Apply(ResourceKind kind, JsonObject obj, FieldValidation mode)
    {
        var warnings = Apply(ModelSchema.ForKind(kind), kind.Kind, kind.Version, obj, mode);
        ModelTypeCheck.Check(kind, obj);
        return warnings;
    }

    public static IReadOnlyList<string> Apply(ModelSchema? schema, string kindName, string version, JsonObject obj, FieldValidation mode)
    {
        if (schema is null)
        {
            return [];
        }
        var unknown = UnknownFields.Prune(schema, obj);
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
