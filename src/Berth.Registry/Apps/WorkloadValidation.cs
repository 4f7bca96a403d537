using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Serialization;
using Berth.Registry.Core.Pods;
using Berth.Registry.Validation;

namespace Berth.Registry.Apps;

/// <summary>
/// Rules shared by the replicated workloads (Deployment, ReplicaSet, StatefulSet, DaemonSet): a required,
/// non-empty, valid selector that matches the template labels, a valid pod template with restartPolicy Always,
/// non-negative counters, and an immutable selector. Mirrors kubernetes/kubernetes pkg/apis/apps/validation
/// (ValidateDeploymentSpec, ValidatePodTemplateSpecForReplicaSet, ValidateStatefulSetSpec, ValidateDaemonSetSpec).
/// </summary>
internal static class WorkloadValidation
{
    /// <summary>
    /// Validates <c>spec.selector</c> and <c>spec.template</c>. <paramref name="emptySelectorKind"/> is the word in
    /// upstream's "empty selector is invalid for …" (ReplicaSet reuses "deployment", as upstream does).
    /// </summary>
    public static void ValidateSelectorAndTemplate(JsonObject spec, string emptySelectorKind, string kindForDeadline, List<FieldError> errs)
    {
        var selector = spec["selector"] as JsonObject;
        if (selector is null)
        {
            errs.Add(FieldError.Required("spec.selector"));
        }
        else
        {
            LabelSelectors.Validate(selector, "spec.selector", errs);
            if (LabelSelectors.IsEmpty(selector))
            {
                errs.Add(new FieldError(CauseType.FieldValueInvalid, "spec.selector", $"empty selector is invalid for {emptySelectorKind}",
                    LabelSelectors.RenderGo(selector)));
            }
        }
        var template = spec["template"] as JsonObject;
        if (template is null)
        {
            errs.Add(FieldError.Required("spec.template"));
            return;
        }
        var labels = template.GetStringMap("metadata", "labels");
        if (!LabelSelectors.IsEmpty(selector) && !LabelSelectors.Matches(selector, labels))
        {
            errs.Add(new FieldError(CauseType.FieldValueInvalid, "spec.template.metadata.labels",
                "`selector` does not match template `labels`", GoValueRenderer.StringMap(labels)));
        }
        PodTemplateValidation.Validate(template, "spec.template", errs);
        var restartPolicy = template.GetString("spec", "restartPolicy") ?? "";
        if (restartPolicy != "Always")
        {
            errs.Add(FieldError.NotSupported("spec.template.spec.restartPolicy", restartPolicy, ["Always"]));
        }
        if (template.GetPath("spec", "activeDeadlineSeconds") is { } deadline)
        {
            errs.Add(new FieldError(CauseType.FieldValueInvalid, "spec.template.spec.activeDeadlineSeconds",
                $"activeDeadlineSeconds in {kindForDeadline} is not Supported", GoValueRenderer.Render(deadline)));
        }
    }

    /// <summary>Adds <c>must be greater than or equal to 0</c> when the integer at <paramref name="field"/> is negative.</summary>
    public static void ValidateNonNegative(JsonObject spec, string field, List<FieldError> errs)
    {
        if (JsonFields.AsLong(spec[field]) is < 0 and var value)
        {
            errs.Add(FieldError.Invalid("spec." + field, value, ValidationMessages.IsNegativeError));
        }
    }

    /// <summary><c>spec.selector: Invalid value: v1.LabelSelector{…}: field is immutable</c>.</summary>
    public static void ValidateSelectorImmutable(JsonObject newObj, JsonObject oldObj, List<FieldError> errs)
    {
        var selector = newObj.GetObject("spec", "selector");
        if (!JsonSemantics.Equal(selector, oldObj.GetObject("spec", "selector")))
        {
            errs.Add(new FieldError(CauseType.FieldValueInvalid, "spec.selector", ValidationMessages.FieldImmutable, LabelSelectors.RenderGo(selector)));
        }
    }
}
