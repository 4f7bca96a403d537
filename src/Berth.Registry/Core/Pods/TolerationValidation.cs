using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Pods;

/// <summary>Pod tolerations. Mirrors kubernetes/kubernetes pkg/apis/core/validation (ValidateTolerations).</summary>
internal static class TolerationValidation
{
    private static readonly string[] Effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

    public static void Validate(JsonArray? tolerations, string path, List<FieldError> errs)
    {
        foreach (var (i, t) in JsonFields.Objects(tolerations))
        {
            var idx = FieldPath.Index(path, i);
            var key = JsonFields.AsString(t["key"]) ?? "";
            var op = JsonFields.AsString(t["operator"]) ?? "";
            var value = JsonFields.AsString(t["value"]) ?? "";
            var effect = JsonFields.AsString(t["effect"]) ?? "";
            if (key.Length > 0)
            {
                LabelValidation.ValidateLabelName(key, FieldPath.Child(idx, "key"), errs);
            }
            else if (op != "Exists")
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(idx, "operator"), op,
                    "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
            }
            if (t["tolerationSeconds"] is not null && effect != "NoExecute")
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(idx, "effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
            }
            ValidateOperator(op, value, FieldPath.Child(idx, "operator"), errs);
            if (effect.Length > 0 && !Effects.Contains(effect))
            {
                errs.Add(FieldError.NotSupported(FieldPath.Child(idx, "effect"), effect, Effects));
            }
        }
    }

    private static void ValidateOperator(string op, string value, string path, List<FieldError> errs)
    {
        switch (op)
        {
            case "Equal" or "":
                var msgs = QualifiedNameValidation.IsValidLabelValue(value);
                if (msgs.Count > 0)
                {
                    errs.Add(FieldError.Invalid(path, value, string.Join(";", msgs)));
                }
                break;
            case "Exists":
                if (value.Length > 0)
                {
                    errs.Add(FieldError.Invalid(path, value, "value must be empty when `operator` is 'Exists'"));
                }
                break;
            default:
                errs.Add(FieldError.NotSupported(path, op, ["Equal", "Exists"]));
                break;
        }
    }
}
