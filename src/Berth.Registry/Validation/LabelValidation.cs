using System.Text.Json.Nodes;
using Berth.Machinery.Errors;

namespace Berth.Registry.Validation;

/// <summary>
/// Label maps and annotation maps, wherever they occur (metadata, selectors, templates). The bad value is the key
/// or value and the path is the map itself, as upstream reports it. Mirrors
/// k8s.io/apimachinery/pkg/apis/meta/v1/validation (ValidateLabels) and pkg/api/validation/objectmeta.go
/// (ValidateAnnotations).
/// </summary>
internal static class LabelValidation
{
    /// <summary>Upstream TotalAnnotationSizeLimitB: keys plus values of one object, 256 KiB.</summary>
    public const int TotalAnnotationSizeLimitBytes = 256 * 1024;

    public static void ValidateLabelName(string key, string path, List<FieldError> errs)
    {
        foreach (var msg in QualifiedNameValidation.IsQualifiedName(key))
        {
            errs.Add(FieldError.Invalid(path, key, msg));
        }
    }

    public static void ValidateLabels(JsonObject? labels, string path, List<FieldError> errs)
    {
        if (labels is null)
        {
            return;
        }
        foreach (var (key, node) in labels)
        {
            ValidateLabelName(key, path, errs);
            var value = JsonFields.AsString(node) ?? "";
            foreach (var msg in QualifiedNameValidation.IsValidLabelValue(value))
            {
                errs.Add(FieldError.Invalid(path, value, msg));
            }
        }
    }

    public static void ValidateAnnotations(JsonObject? annotations, string path, List<FieldError> errs)
    {
        if (annotations is null)
        {
            return;
        }
        long total = 0;
        foreach (var (key, node) in annotations)
        {
            foreach (var msg in QualifiedNameValidation.IsQualifiedName(key.ToLowerInvariant()))
            {
                errs.Add(FieldError.Invalid(path, key, msg));
            }
            total += System.Text.Encoding.UTF8.GetByteCount(key) +
                System.Text.Encoding.UTF8.GetByteCount(JsonFields.AsString(node) ?? "");
        }
        if (total > TotalAnnotationSizeLimitBytes)
        {
            errs.Add(FieldError.TooLong(path, TotalAnnotationSizeLimitBytes));
        }
    }
}
