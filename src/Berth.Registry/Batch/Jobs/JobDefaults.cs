using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using Berth.Registry.Core.Pods;
using Berth.Registry.Validation;

namespace Berth.Registry.Batch.Jobs;

/// <summary>
/// batch/v1 Job defaults: completions and parallelism 1 when both are unset (else parallelism 1), backoffLimit 6
/// (MaxInt32 with backoffLimitPerIndex), NonIndexed completion, not suspended, TerminatingOrFailed pod
/// replacement (Failed with a pod failure policy), status True for pod failure policy condition patterns, job labels copied from the template when it has none, and
/// pod-spec defaults on the template. Mutates in place; idempotent. Mirrors kubernetes/kubernetes
/// pkg/apis/batch/v1/defaults.go (SetDefaults_Job).
/// </summary>
internal static class JobDefaults
{
    public static void Apply(JsonObject job)
    {
        var spec = JsonFields.Child(job, "spec");
        if (spec["completions"] is null && spec["parallelism"] is null)
        {
            spec["completions"] = 1L;
        }
        JsonFields.SetDefault(spec, "parallelism", 1L);
        JsonFields.SetDefault(spec, "backoffLimit", spec["backoffLimitPerIndex"] is null ? 6L : int.MaxValue);
        if (job.GetObject("spec", "template", "metadata", "labels") is { } templateLabels &&
            job.GetObject("metadata", "labels") is not { Count: > 0 })
        {
            job.Metadata()["labels"] = templateLabels.DeepClone();
        }
        JsonFields.SetDefaultString(spec, "completionMode", "NonIndexed");
        JsonFields.SetDefault(spec, "suspend", false);
        JsonFields.SetDefaultString(spec, "podReplacementPolicy", spec["podFailurePolicy"] is null ? "TerminatingOrFailed" : "Failed");
        foreach (var pattern in (spec.GetArray("podFailurePolicy", "rules") ?? []).OfType<JsonObject>()
                     .SelectMany(r => r.GetArray("onPodConditions")?.OfType<JsonObject>() ?? []))
        {
            JsonFields.SetDefaultString(pattern, "status", "True");
        }
        PodTemplateValidation.Default(spec["template"] as JsonObject);
    }
}
