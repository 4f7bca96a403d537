using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Pods;

/// <summary>
/// A container's <c>env</c>: names required and printable, and at most one of <c>value</c> / <c>valueFrom</c>
/// with exactly one source. Names follow the relaxed rule (RelaxedEnvironmentVariableValidation, GA in 1.34).
/// Mirrors kubernetes/kubernetes pkg/apis/core/validation (ValidateEnv, validateEnvVarValueFrom).
/// </summary>
internal static class EnvValidation
{
    private const string RelaxedEnvVarNameError =
        "a valid environment variable name must consist only of printable ASCII characters other than '='";

    private static readonly string[] Sources = ["fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef", "fileKeyRef"];

    public static void Validate(JsonArray? env, string path, List<FieldError> errs)
    {
        foreach (var (i, ev) in JsonFields.Objects(env))
        {
            var idx = FieldPath.Index(path, i);
            var name = JsonFields.AsString(ev["name"]) ?? "";
            if (name.Length == 0)
            {
                errs.Add(FieldError.Required(FieldPath.Child(idx, "name")));
            }
            else if (name.Any(c => c is < (char)32 or > (char)126 or '='))
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(idx, "name"), name, RelaxedEnvVarNameError));
            }
            if (ev["valueFrom"] is JsonObject valueFrom)
            {
                ValidateValueFrom(ev, valueFrom, FieldPath.Child(idx, "valueFrom"), errs);
            }
        }
    }

    private static void ValidateValueFrom(JsonObject ev, JsonObject valueFrom, string path, List<FieldError> errs)
    {
        var count = Sources.Count(s => valueFrom[s] is JsonObject);
        if (count == 0)
        {
            errs.Add(FieldError.Invalid(path, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
        }
        else if (count > 1)
        {
            errs.Add(FieldError.Invalid(path, "", "may not have more than one field specified at a time"));
        }
        if (!string.IsNullOrEmpty(JsonFields.AsString(ev["value"])))
        {
            errs.Add(FieldError.Invalid(path, "", "may not be specified when `value` is not empty"));
        }
    }
}
