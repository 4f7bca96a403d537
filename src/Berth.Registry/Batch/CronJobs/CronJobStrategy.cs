using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Batch.Jobs;
using Berth.Registry.Core.Pods;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Batch.CronJobs;

/// <summary>
/// CronJobs: generation tracking; defaults Allow, not suspended, 3 successful and 1 failed job kept; names of at
/// most 52 characters (the controller appends a timestamp suffix), a valid schedule, time zone and job template.
/// Stateless and thread-safe. Mirrors kubernetes/kubernetes pkg/registry/batch/cronjob/strategy.go,
/// pkg/apis/batch/v1/defaults.go (SetDefaults_CronJob) and pkg/apis/batch/validation (ValidateCronJobCreate).
/// </summary>
internal sealed class CronJobStrategy() : ResourceStrategy(KindRegistry.CronJobs)
{
    /// <summary>DNS-1035 label length (63) minus the 11 characters of the generated job-name suffix.</summary>
    public const int MaxNameLength = 52;

    private static readonly string[] ConcurrencyPolicies = ["Allow", "Forbid", "Replace"];

    public override bool TracksGeneration => true;

    public override void Default(JsonObject obj)
    {
        var spec = JsonFields.Child(obj, "spec");
        JsonFields.SetDefaultString(spec, "concurrencyPolicy", "Allow");
        JsonFields.SetDefault(spec, "suspend", false);
        JsonFields.SetDefault(spec, "successfulJobsHistoryLimit", 3L);
        JsonFields.SetDefault(spec, "failedJobsHistoryLimit", 1L);
        PodTemplateValidation.Default(obj.GetObject("spec", "jobTemplate", "spec", "template"));
    }

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        if (obj.GetName() is { Length: > MaxNameLength } name)
        {
            errs.Add(FieldError.Invalid("metadata.name", name, ValidationMessages.MaxLenError(MaxNameLength)));
        }
        var spec = obj["spec"] as JsonObject ?? [];
        var schedule = JsonFields.AsString(spec["schedule"]) ?? "";
        if (schedule.Length == 0)
        {
            errs.Add(FieldError.Required("spec.schedule"));
        }
        else
        {
            CronScheduleValidation.Validate(schedule, "spec.schedule", errs);
        }
        ValidateConcurrencyPolicy(JsonFields.AsString(spec["concurrencyPolicy"]) ?? "", errs);
        foreach (var counter in (string[])["startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"])
        {
            ValidateNonNegative(spec, counter, errs);
        }
        ValidateTimeZone(JsonFields.AsString(spec["timeZone"]), errs);
        JobValidation.ValidateSpec(spec.GetObject("jobTemplate", "spec") ?? [], "spec.jobTemplate.spec", requireSelector: false, errs);
        return errs;
    }

    private static void ValidateConcurrencyPolicy(string policy, List<FieldError> errs)
    {
        if (policy.Length == 0)
        {
            errs.Add(FieldError.Required("spec.concurrencyPolicy"));
        }
        else if (!ConcurrencyPolicies.Contains(policy))
        {
            errs.Add(FieldError.NotSupported("spec.concurrencyPolicy", policy, ConcurrencyPolicies));
        }
    }

    private static void ValidateNonNegative(JsonObject spec, string field, List<FieldError> errs)
    {
        if (JsonFields.AsLong(spec[field]) is < 0 and var value)
        {
            errs.Add(FieldError.Invalid("spec." + field, value, ValidationMessages.IsNegativeError));
        }
    }

    private static void ValidateTimeZone(string? timeZone, List<FieldError> errs)
    {
        if (timeZone is null)
        {
            return;
        }
        if (timeZone.Length == 0)
        {
            errs.Add(FieldError.Invalid("spec.timeZone", timeZone, "timeZone must be nil or non-empty string"));
        }
        else if (timeZone.Equals("Local", StringComparison.OrdinalIgnoreCase))
        {
            errs.Add(FieldError.Invalid("spec.timeZone", timeZone, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
        }
        else if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
        {
            errs.Add(FieldError.Invalid("spec.timeZone", timeZone, $"unknown time zone {timeZone}"));
        }
    }
}
