using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Controllers.Util;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.CronJob;

/// <summary>
/// Schedule arithmetic and Job construction of the CronJob controller. Pure functions over storage-form objects.
/// Mirrors kubernetes/kubernetes pkg/controller/cronjob/utils.go (mostRecentScheduleTime, nextScheduleTime,
/// nextScheduleTimeDuration, getJobFromTemplate2, getJobName, getTimeHashInMinutes).
/// </summary>
public static class CronJobUtil
{
    public const string ScheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp";

    /// <summary>More missed start times than this produce a TooManyMissedTimes warning.</summary>
    public const long MaxMissedSchedules = 100;

    /// <summary>Added to the wait for the next start so that the re-sync lands after it (upstream nextScheduleDelta).</summary>
    public static readonly TimeSpan NextScheduleDelta = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// From the last schedule time (else the creation time, or with <paramref name="includeStartingDeadline"/> the
    /// starting deadline if later): the earliest time considered, the most recent start time not after
    /// <paramref name="now"/> (null when none is due) and how many start times were missed. Long gaps are skipped
    /// ahead by whole schedule intervals, so the count is then an estimate.
    /// </summary>
    public static (DateTimeOffset Earliest, DateTimeOffset? MostRecent, long Missed) MostRecentScheduleTime(JsonObject cronJob, DateTimeOffset now,
        CronSchedule schedule, TimeZoneInfo zone, bool includeStartingDeadline)
    {
        var earliest = ParseTime(cronJob.GetString("status", "lastScheduleTime")) ?? ParseTime(cronJob.GetString("metadata", "creationTimestamp")) ?? now;
        if (includeStartingDeadline && cronJob.GetLong("spec", "startingDeadlineSeconds") is { } deadline && now - TimeSpan.FromSeconds(deadline) > earliest)
        {
            earliest = now - TimeSpan.FromSeconds(deadline);
        }
        if (schedule.Next(earliest, zone) is not { } t1 || t1 > now)
        {
            return (earliest, null, 0);
        }
        if (schedule.Next(t1, zone) is not { } t2 || t2 > now)
        {
            return (earliest, t1, 1);
        }
        var interval = t2 - t1;
        long missed = 2;
        var recent = t2;
        if (interval > TimeSpan.Zero && (now - t2).Ticks / interval.Ticks > 10 * MaxMissedSchedules)
        {
            missed = (now - t1).Ticks / interval.Ticks + 1;
            recent = schedule.Next(now - (interval * MaxMissedSchedules), zone) ?? t2;
        }
        while (schedule.Next(recent, zone) is { } next && next <= now)
        {
            recent = next;
            missed++;
        }
        return (earliest, recent, missed);
    }

    /// <summary>How long until the next start time after the most recent one, plus <see cref="NextScheduleDelta"/>.</summary>
    public static TimeSpan? NextScheduleTimeDuration(JsonObject cronJob, DateTimeOffset now, CronSchedule schedule, TimeZoneInfo zone)
    {
        var (earliest, recent, _) = MostRecentScheduleTime(cronJob, now, schedule, zone, includeStartingDeadline: false);
        return schedule.Next(recent ?? earliest, zone) is { } next ? next + NextScheduleDelta - now : null;
    }

    /// <summary><c>&lt;cronjob&gt;-&lt;scheduled time in minutes since the epoch&gt;</c>.</summary>
    public static string GetJobName(JsonObject cronJob, DateTimeOffset scheduledTime) =>
        string.Create(CultureInfo.InvariantCulture, $"{cronJob.GetName()}-{scheduledTime.ToUnixTimeSeconds() / 60}");

    /// <summary>
    /// The Job for <paramref name="scheduledTime"/>: the template's labels, annotations and spec, the scheduled
    /// timestamp annotation (RFC 3339 in the CronJob's zone), the deterministic name and the controller reference.
    /// </summary>
    public static JsonObject GetJobFromTemplate(JsonObject cronJob, DateTimeOffset scheduledTime, TimeZoneInfo zone)
    {
        var template = cronJob.GetObject("spec", "jobTemplate") ?? [];
        var annotations = template.GetObject("metadata", "annotations")?.DeepClone().AsObject() ?? [];
        annotations[ScheduledTimestampAnnotation] = FormatRfc3339(TimeZoneInfo.ConvertTime(scheduledTime, zone));
        var meta = new JsonObject
        {
            ["name"] = GetJobName(cronJob, scheduledTime),
            ["namespace"] = cronJob.GetNamespace(),
            ["annotations"] = annotations,
            ["ownerReferences"] = new JsonArray(OwnerReferences.NewControllerRef(cronJob)),
        };
        if (template.GetObject("metadata", "labels") is { } labels)
        {
            meta["labels"] = labels.DeepClone();
        }
        return new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = meta,
            ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject(),
        };
    }

    /// <summary>The CronJob's time zone (<c>spec.timeZone</c>, else the controller's local zone); null for an unknown zone.</summary>
    public static TimeZoneInfo? ZoneOf(JsonObject cronJob, TimeProvider timeProvider)
    {
        if (cronJob.GetString("spec", "timeZone") is not { } id)
        {
            return timeProvider.LocalTimeZone;
        }
        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
    }

    public static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    /// <summary>Go's time.RFC3339: <c>Z</c> for UTC, else the numeric offset.</summary>
    public static string FormatRfc3339(DateTimeOffset time) => time.Offset == TimeSpan.Zero
        ? time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
        : time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
