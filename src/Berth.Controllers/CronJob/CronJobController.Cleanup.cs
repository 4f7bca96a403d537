using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Controllers.Job;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.Controllers.CronJob;

public sealed partial class CronJobController
{
    /// <summary>
    /// Deletes the oldest finished Jobs (by start time) beyond successfulJobsHistoryLimit and failedJobsHistoryLimit
    /// (upstream cleanupFinishedJobs, removeOldestJobs). Returns whether the status changed.
    /// </summary>
    private async Task<bool> CleanupFinishedJobsAsync(JsonObject cronJob, IReadOnlyList<JsonObject> jobs, CancellationToken cancellationToken)
    {
        var successfulLimit = cronJob.GetLong("spec", "successfulJobsHistoryLimit");
        var failedLimit = cronJob.GetLong("spec", "failedJobsHistoryLimit");
        if (successfulLimit is null && failedLimit is null)
        {
            return false;
        }
        var changed = false;
        foreach (var (type, limit) in new (string, long?)[] { (JobConditions.Complete, successfulLimit), (JobConditions.Failed, failedLimit) })
        {
            if (limit is not { } keep)
            {
                continue;
            }
            var finished = jobs.Where(j => JobConditions.FinishedCondition(j) == type).OrderBy(StartTime).ToList();
            foreach (var job in finished.Take(Math.Max(0, finished.Count - (int)keep)))
            {
                changed |= await DeleteJobAsync(cronJob, job, cancellationToken).ConfigureAwait(false);
            }
        }
        return changed;
    }

    /// <summary>Start time, else creation time; a Job that never started sorts first.</summary>
    private static DateTimeOffset StartTime(JsonObject job) =>
        CronJobUtil.ParseTime(job.GetString("status", "startTime")) ?? CronJobUtil.ParseTime(job.GetString("metadata", "creationTimestamp")) ?? DateTimeOffset.MinValue;

    /// <summary>Deletes one Job (pods in the background), guarded by UID, and drops it from <c>status.active</c> (upstream deleteJob).</summary>
    private async Task<bool> DeleteJobAsync(JsonObject cronJob, JsonObject job, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteAsync(KindRegistry.Jobs, job.GetNamespace(), job.GetName()!,
                new DeleteOptions(PropagationPolicy: "Background", PreconditionUid: job.GetUid()), cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            // Already gone or replaced.
        }
        catch (ApiException e)
        {
            _recorder.Eventf(cronJob, EventTypes.Warning, "FailedDelete", "Deleted job: {0}", e.Message);
            throw;
        }
        RemoveActive(cronJob, job.GetUid());
        _recorder.Eventf(cronJob, EventTypes.Normal, "SuccessfulDelete", "Deleted job {0}", job.GetName());
        return true;
    }
}
