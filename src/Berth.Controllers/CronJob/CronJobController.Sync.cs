using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Controllers.Job;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.CronJob;

public sealed partial class CronJobController
{
    /// <summary>
    /// Reconciles <c>status.active</c> with the CronJob's Jobs, then (unless deleted, suspended or misconfigured)
    /// starts the Job of the most recent due start time, if it was not started yet, is not too late, and the
    /// concurrency policy allows it. Mutates <paramref name="cronJob"/>'s status; returns when to look again and
    /// whether the status changed. Upstream syncCronJob.
    /// </summary>
    private async Task<(TimeSpan? RequeueAfter, bool UpdateStatus)> SyncCronJobAsync(JsonObject cronJob, IReadOnlyList<JsonObject> jobs,
        CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        var updateStatus = await ReconcileJobsAsync(cronJob, jobs, cancellationToken).ConfigureAwait(false);
        updateStatus |= await RemoveMissingActiveJobsAsync(cronJob, jobs, cancellationToken).ConfigureAwait(false);
        if (cronJob.GetString("metadata", "deletionTimestamp") is not null)
        {
            return (null, updateStatus);
        }
        if (CronJobUtil.ZoneOf(cronJob, _timeProvider) is not { } zone)
        {
            _recorder.Eventf(cronJob, EventTypes.Warning, "UnknownTimeZone", "invalid timeZone: {0}", cronJob.GetString("spec", "timeZone"));
            return (null, updateStatus);
        }
        if (cronJob.GetBool("spec", "suspend") == true)
        {
            return (null, updateStatus);
        }
        var scheduleText = cronJob.GetString("spec", "schedule") ?? "";
        if (!CronSchedule.TryParse(scheduleText, out var schedule, out var parseError))
        {
            _recorder.Eventf(cronJob, EventTypes.Warning, "UnparseableSchedule", "unparseable schedule: {0} : {1}", scheduleText, parseError);
            return (null, updateStatus);
        }
        var (next, started) = await StartDueJobAsync(cronJob, now, schedule!, zone, cancellationToken).ConfigureAwait(false);
        return (next, updateStatus || started);
    }

    /// <summary>
    /// Starts the Job of the most recent due start time unless there is none, it is past startingDeadlineSeconds,
    /// it was started already, or Forbid finds an active Job (Replace deletes the active Jobs first). Returns when
    /// to look again and whether the status changed.
    /// </summary>
    private async Task<(TimeSpan? RequeueAfter, bool UpdateStatus)> StartDueJobAsync(JsonObject cronJob, DateTimeOffset now, CronSchedule schedule,
        TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var next = CronJobUtil.NextScheduleTimeDuration(cronJob, now, schedule, zone);
        if (NextScheduleTime(cronJob, now, schedule, zone) is not { } scheduledTime)
        {
            return (next, false);
        }
        if (cronJob.GetLong("spec", "startingDeadlineSeconds") is { } deadline && scheduledTime + TimeSpan.FromSeconds(deadline) < now)
        {
            _recorder.Eventf(cronJob, EventTypes.Warning, "MissSchedule", "Missed scheduled time to start a job: {0}",
                scheduledTime.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            return (next, false);
        }
        var jobName = CronJobUtil.GetJobName(cronJob, scheduledTime);
        if (ActiveRefs(cronJob).Any(r => r.GetString("name") == jobName) || CronJobUtil.ParseTime(cronJob.GetString("status", "lastScheduleTime")) == scheduledTime)
        {
            return (next, false);
        }
        var policy = cronJob.GetString("spec", "concurrencyPolicy") ?? "Allow";
        if (policy == "Forbid" && ActiveRefs(cronJob).Count > 0)
        {
            _recorder.Event(cronJob, EventTypes.Normal, "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid");
            return (next, false);
        }
        if (policy == "Replace")
        {
            await ReplaceActiveJobsAsync(cronJob, cancellationToken).ConfigureAwait(false);
        }
        await CreateJobAsync(cronJob, scheduledTime, zone, cancellationToken).ConfigureAwait(false);
        return (CronJobUtil.NextScheduleTimeDuration(cronJob, now, schedule, zone), true);
    }

    /// <summary>The most recent due start time, or null; warns when more than 100 were missed (upstream nextScheduleTime).</summary>
    private DateTimeOffset? NextScheduleTime(JsonObject cronJob, DateTimeOffset now, CronSchedule schedule, TimeZoneInfo zone)
    {
        var (_, recent, missed) = CronJobUtil.MostRecentScheduleTime(cronJob, now, schedule, zone, includeStartingDeadline: true);
        if (recent is null || recent > now)
        {
            return null;
        }
        if (missed > CronJobUtil.MaxMissedSchedules)
        {
            _recorder.Eventf(cronJob, EventTypes.Warning, "TooManyMissedTimes",
                "too many missed start times: {0}. Set or decrease .spec.startingDeadlineSeconds or check clock skew", missed);
        }
        return recent;
    }

    /// <summary>
    /// Drops finished Jobs from <c>status.active</c>, warns about unfinished Jobs missing from it, and advances
    /// <c>lastSuccessfulTime</c> to the latest completion. Returns whether the status changed.
    /// </summary>
    private async Task<bool> ReconcileJobsAsync(JsonObject cronJob, IReadOnlyList<JsonObject> jobs, CancellationToken cancellationToken)
    {
        var updateStatus = false;
        foreach (var job in jobs)
        {
            var uid = job.GetUid();
            var active = ActiveRefs(cronJob).Any(r => r.GetString("uid") == uid);
            var finished = JobConditions.FinishedCondition(job);
            if (!active && finished is null && await RefreshedWithActiveAsync(cronJob, uid, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }
            if (!active && finished is null)
            {
                _recorder.Eventf(cronJob, EventTypes.Warning, "UnexpectedJob", "Saw a job that the controller did not create or forgot: {0}", job.GetName());
            }
            else if (active && finished is not null)
            {
                RemoveActive(cronJob, uid);
                _recorder.Eventf(cronJob, EventTypes.Normal, "SawCompletedJob", "Saw completed job: {0}, condition: {1}", job.GetName(), finished);
                updateStatus = true;
            }
            if (finished == JobConditions.Complete && job.GetString("status", "completionTime") is { } completed &&
                (CronJobUtil.ParseTime(cronJob.GetString("status", "lastSuccessfulTime")) is not { } last || CronJobUtil.ParseTime(completed) > last))
            {
                cronJob.SetPath(completed, "status", "lastSuccessfulTime");
                updateStatus = true;
            }
        }
        return updateStatus;
    }

    /// <summary>
    /// A Job missing from the cached <c>status.active</c> may be one this controller just created: re-read the
    /// CronJob, and when the live status lists it, continue with the live status and resourceVersion.
    /// </summary>
    private async Task<bool> RefreshedWithActiveAsync(JsonObject cronJob, string? jobUid, CancellationToken cancellationToken)
    {
        JsonObject fresh;
        try
        {
            fresh = await _client.GetAsync(KindRegistry.CronJobs, cronJob.GetNamespace(), cronJob.GetName()!, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return false;
        }
        if (fresh.GetUid() != cronJob.GetUid() || !ActiveRefs(fresh).Any(r => r.GetString("uid") == jobUid))
        {
            return false;
        }
        cronJob["status"] = fresh["status"]?.DeepClone();
        cronJob.Metadata()["resourceVersion"] = fresh.GetResourceVersion();
        return true;
    }

    /// <summary>Active references whose Job is in neither the cache nor the API any more are dropped (MissingJob).</summary>
    private async Task<bool> RemoveMissingActiveJobsAsync(JsonObject cronJob, IReadOnlyList<JsonObject> jobs, CancellationToken cancellationToken)
    {
        var updateStatus = false;
        var children = jobs.Select(j => j.GetUid()).ToHashSet();
        foreach (var reference in ActiveRefs(cronJob).Where(r => !children.Contains(r.GetString("uid"))).ToList())
        {
            try
            {
                await _client.GetAsync(KindRegistry.Jobs, cronJob.GetNamespace(), reference.GetString("name") ?? "", cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                _recorder.Eventf(cronJob, EventTypes.Normal, "MissingJob", "Active job went missing: {0}", reference.GetString("name"));
                RemoveActive(cronJob, reference.GetString("uid"));
                updateStatus = true;
            }
        }
        return updateStatus;
    }

    /// <summary>Replace policy: deletes every active Job before the new one starts.</summary>
    private async Task<bool> ReplaceActiveJobsAsync(JsonObject cronJob, CancellationToken cancellationToken)
    {
        var changed = false;
        foreach (var reference in ActiveRefs(cronJob).ToList())
        {
            JsonObject job;
            try
            {
                job = await _client.GetAsync(KindRegistry.Jobs, cronJob.GetNamespace(), reference.GetString("name") ?? "", cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                RemoveActive(cronJob, reference.GetString("uid"));
                changed = true;
                continue;
            }
            await DeleteJobAsync(cronJob, job, cancellationToken).ConfigureAwait(false);
            changed = true;
        }
        return changed;
    }

    private async Task CreateJobAsync(JsonObject cronJob, DateTimeOffset scheduledTime, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var request = CronJobUtil.GetJobFromTemplate(cronJob, scheduledTime, zone);
        JsonObject created;
        try
        {
            created = await _client.CreateAsync(KindRegistry.Jobs, cronJob.GetNamespace(), request, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code != 409)
        {
            _recorder.Eventf(cronJob, EventTypes.Warning, "FailedCreate", "Error creating job: {0}", e.Message);
            throw;
        }
        Log.CreatedJob(Logger, cronJob.GetNamespace() ?? "", cronJob.GetName() ?? "", created.GetName() ?? "");
        _recorder.Eventf(cronJob, EventTypes.Normal, "SuccessfulCreate", "Created job {0}", created.GetName());
        ActiveArray(cronJob).Add(new JsonObject
        {
            ["kind"] = "Job",
            ["namespace"] = created.GetNamespace(),
            ["name"] = created.GetName(),
            ["uid"] = created.GetUid(),
            ["apiVersion"] = "batch/v1",
            ["resourceVersion"] = created.GetResourceVersion(),
        });
        cronJob.SetPath(CronJobUtil.FormatRfc3339(scheduledTime.ToUniversalTime()), "status", "lastScheduleTime");
    }

    private static IReadOnlyList<JsonObject> ActiveRefs(JsonObject cronJob) => [.. (cronJob.GetArray("status", "active") ?? []).OfType<JsonObject>()];

    private static JsonArray ActiveArray(JsonObject cronJob)
    {
        if (cronJob.GetArray("status", "active") is { } active)
        {
            return active;
        }
        var created = new JsonArray();
        cronJob.SetPath(created, "status", "active");
        return created;
    }

    private static void RemoveActive(JsonObject cronJob, string? uid)
    {
        if (cronJob.GetArray("status", "active") is not { } active)
        {
            return;
        }
        foreach (var reference in active.OfType<JsonObject>().Where(r => r.GetString("uid") == uid).ToList())
        {
            active.Remove(reference);
        }
        if (active.Count == 0)
        {
            cronJob.GetObject("status")!.Remove("active");
        }
    }
}
