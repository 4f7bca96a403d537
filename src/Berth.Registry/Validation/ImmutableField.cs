using System.Text.Json.Nodes;
using Berth.Machinery.Errors;

namespace Berth.Registry.Validation;

/// <summary>
/// Immutable-field checks for updates: a changed value is reported as <c>Invalid value: new: field is immutable</c>.
/// Mirrors k8s.io/apimachinery/pkg/api/validation/generic.go (ValidateImmutableField).
/// </summary>
internal static class ImmutableField
{
    public static void Validate(JsonNode? newValue, JsonNode? oldValue, string path, List<FieldError> errs)
    {
        if (!JsonSemantics.Equal(newValue, oldValue))
        {
            errs.Add(new FieldError(CauseType.FieldValueInvalid, path, ValidationMessages.FieldImmutable, GoValueRenderer.Render(newValue)));
        }
    }
}
