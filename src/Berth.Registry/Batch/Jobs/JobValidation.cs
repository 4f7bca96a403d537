using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Serialization;
using Berth.Registry.Core.Pods;
using Berth.Registry.Validation;

namespace Berth.Registry.Batch.Jobs;

/// <summary>
/// A Job spec (also the spec of a CronJob's jobTemplate, under another path): counters, completion mode,
/// selector matching the template, a template whose restartPolicy is OnFailure or Never (only Never with a pod
/// failure policy), the pod failure and replacement policies and the success policy; plus the fields an
/// update may not change. Mirrors kubernetes/kubernetes pkg/apis/batch/validation (ValidateJobSpec,
/// validateJobSpec, ValidateJobSpecUpdate).
/// </summary>
internal static class JobValidation
{
    private static readonly string[] Counters = ["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished"];

    public static void ValidateSpec(JsonObject spec, string path, bool requireSelector, List<FieldError> errs)
    {
        foreach (var counter in Counters)
        {
            if (JsonFields.AsLong(spec[counter]) is < 0 and var value)
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(path, counter), value, ValidationMessages.IsNegativeError));
            }
        }
        var mode = JsonFields.AsString(spec["completionMode"]);
        if (mode is not (null or "NonIndexed" or "Indexed"))
        {
            errs.Add(FieldError.NotSupported(FieldPath.Child(path, "completionMode"), mode, ["NonIndexed", "Indexed"]));
        }
        if (mode == "Indexed" && spec["completions"] is null)
        {
            errs.Add(FieldError.Required(FieldPath.Child(path, "completions"), "when completion mode is Indexed"));
        }
        PodFailurePolicyValidation.Validate(spec, path, errs);
        SuccessPolicyValidation.Validate(spec, path, errs);
        ValidateSelectorAndTemplate(spec, path, requireSelector, errs);
    }

    /// <summary>Selector, completions, completion mode and (unless suspended) the template may not change.</summary>
    public static void ValidateSpecUpdate(JsonObject spec, JsonObject oldSpec, List<FieldError> errs)
    {
        foreach (var field in (string[])["selector", "completions", "completionMode", "manualSelector", "podFailurePolicy", "backoffLimitPerIndex", "successPolicy"])
        {
            ImmutableField.Validate(spec[field], oldSpec[field], "spec." + field, errs);
        }
        if (JsonFields.AsBool(oldSpec["suspend"]) != true && !JsonSemantics.Equal(spec["template"], oldSpec["template"]))
        {
            errs.Add(new FieldError(CauseType.FieldValueInvalid, "spec.template", ValidationMessages.FieldImmutable,
                GoValueRenderer.Render(spec["template"])));
        }
    }

    private static void ValidateSelectorAndTemplate(JsonObject spec, string path, bool requireSelector, List<FieldError> errs)
    {
        var selector = spec["selector"] as JsonObject;
        if (selector is null && requireSelector)
        {
            errs.Add(FieldError.Required(FieldPath.Child(path, "selector")));
        }
        LabelSelectors.Validate(selector, FieldPath.Child(path, "selector"), errs);
        var templatePath = FieldPath.Child(path, "template");
        if (spec["template"] is not JsonObject template)
        {
            errs.Add(FieldError.Required(templatePath));
            return;
        }
        var labels = template.GetStringMap("metadata", "labels");
        if (selector is not null && !LabelSelectors.Matches(selector, labels))
        {
            errs.Add(new FieldError(CauseType.FieldValueInvalid, FieldPath.Child(templatePath, "metadata", "labels"),
                "`selector` does not match template `labels`", GoValueRenderer.StringMap(labels)));
        }
        PodTemplateValidation.Validate(template, templatePath, errs);
        var restartPolicy = template.GetString("spec", "restartPolicy") ?? "";
        if (restartPolicy is not ("OnFailure" or "Never"))
        {
            errs.Add(FieldError.NotSupported(FieldPath.Child(templatePath, "spec", "restartPolicy"), restartPolicy, ["OnFailure", "Never"]));
        }
        else if (spec["podFailurePolicy"] is JsonObject && restartPolicy != "Never")
        {
            errs.Add(FieldError.Invalid(FieldPath.Child(templatePath, "spec", "restartPolicy"), restartPolicy,
                "only \"Never\" is supported when podFailurePolicy is specified"));
        }
    }
}
