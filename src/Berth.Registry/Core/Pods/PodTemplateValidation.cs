using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Serialization;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Pods;

/// <summary>
/// A pod template (<c>spec.template</c> of workloads): its labels and annotations, then its spec as a pod spec.
/// Upstream reports template label errors at <c>&lt;template&gt;.labels</c> (without <c>metadata</c>).
/// Mirrors kubernetes/kubernetes pkg/apis/core/validation (ValidatePodTemplateSpec).
/// </summary>
internal static class PodTemplateValidation
{
    public static void Validate(JsonObject? template, string path, List<FieldError> errs)
    {
        if (template is null)
        {
            errs.Add(FieldError.Required(path));
            return;
        }
        var meta = template["metadata"] as JsonObject;
        LabelValidation.ValidateLabels(meta?["labels"] as JsonObject, FieldPath.Child(path, "labels"), errs);
        LabelValidation.ValidateAnnotations(meta?["annotations"] as JsonObject, FieldPath.Child(path, "annotations"), errs);
        PodSpecValidation.Validate(template["spec"] as JsonObject ?? [], FieldPath.Child(path, "spec"), errs);
        if (template.GetPath("spec", "ephemeralContainers") is JsonArray { Count: > 0 })
        {
            errs.Add(FieldError.Forbidden(FieldPath.Child(path, "spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template"));
        }
    }

    /// <summary>Applies pod-spec defaults to <c>spec.template.spec</c>, creating it when absent.</summary>
    public static void Default(JsonObject? template)
    {
        if (template is not null)
        {
            PodSpecDefaults.Apply(JsonFields.Child(template, "spec"));
        }
    }
}
