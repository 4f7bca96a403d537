using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Controllers.Scheduling;
using Berth.Controllers.Util;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.Controllers.Job;

public sealed partial class JobController
{
    /// <summary>
    /// One level-triggered pass over a Job (upstream syncJob). A deleted or finished Job only has the tracking
    /// finalizers of its remaining pods removed. Otherwise: claim pods, count the newly finished ones, decide whether
    /// the Job failed (backoffLimit, activeDeadlineSeconds) or completed, create or delete pods when the expectations
    /// allow, then write status and remove finalizers (<see cref="TrackJobStatusAndRemoveFinalizersAsync"/>). A pod
    /// create or delete error is thrown after the status was written, so the key is retried with backoff.
    /// </summary>
    protected override async Task SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var shared = _jobs.Lister.Get(key.Namespace, key.Name);
        if (shared is null || JobConditions.IsJobFinished(shared))
        {
            if (shared is null)
            {
                Expectations.DeleteExpectations(key);
                FinalizerExpectations.DeleteExpectations(key);
            }
            BackoffStore.Remove(key);
            await RemoveStrayFinalizersAsync(key, shared, new HashSet<string>(), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (!StatusWrites.Satisfied(key, shared.GetResourceVersion()))
        {
            // The cache has not seen our last status write yet; its event enqueues the Job again.
            return;
        }
        var job = ApiJson.Clone(shared);
        var satisfied = Expectations.SatisfiedExpectations(key);
        var pods = await GetPodsForJobAsync(job, cancellationToken).ConfigureAwait(false);
        await RemoveStrayFinalizersAsync(key, job, pods.Select(p => p.Metadata.Uid).ToHashSet(), cancellationToken).ConfigureAwait(false);
        var ctx = NewContext(key, job, pods);
        CountPods(ctx);
        var (active, manageError, suspendChanged) = await ManageOrFinishAsync(ctx, satisfied, cancellationToken).ConfigureAwait(false);
        var status = ctx.Status;
        var needsStatusUpdate = suspendChanged || active != (status.GetLong("active") ?? 0) || ctx.Ready != status.GetLong("ready") ||
            ctx.Terminating != status.GetLong("terminating") || job.GetString("status", "startTime") != shared.GetString("status", "startTime");
        SetCount(status, "active", active);
        status["ready"] = ctx.Ready;
        status["terminating"] = ctx.Terminating;
        await TrackJobStatusAndRemoveFinalizersAsync(ctx, needsStatusUpdate, cancellationToken).ConfigureAwait(false);
        if (manageError is not null)
        {
            throw manageError;
        }
    }

    /// <summary>
    /// Counts succeeded and failed pods including the newly finished ones (pods a pod failure policy ignores do not
    /// count), sets startTime on the first unsuspended sync, computes the next backoff record and decides whether the
    /// Job is failing or, for an Indexed Job, has met its success policy.
    /// </summary>
    private void CountPods(JobSyncContext ctx)
    {
        var now = _timeProvider.GetUtcNow();
        var job = ctx.Job;
        var (newSucceeded, newFailed) = GetNewFinishedPods(ctx);
        ctx.Succeeded = (int)(job.GetLong("status", "succeeded") ?? 0) + newSucceeded.Count + ctx.UncountedSucceeded.Count;
        var newCountedFailed = newFailed.Count(p => PodFailurePolicy.Match(ctx.PodFailurePolicy, p).CountFailed);
        ctx.Failed = (int)(job.GetLong("status", "failed") ?? 0) + newCountedFailed + ctx.UncountedFailed.Count;
        if (job.GetString("status", "startTime") is null && !IsSuspended(job))
        {
            ctx.Status["startTime"] = MetaTimes.Format(now);
        }
        ctx.NewBackoffRecord = BackoffStore.Get(ctx.Key).Next(newSucceeded, newFailed, now);
        ctx.FinishedCondition = DecideFailure(ctx, now);
        if (ctx.IsIndexed)
        {
            (ctx.PrevSucceededIndexes, ctx.SucceededIndexes) = CalculateSucceededIndexes(ctx);
            ctx.Succeeded = ctx.SucceededIndexes.Count;
            if (ctx.FinishedCondition is null &&
                SuccessPolicy.Match(job.GetObject("spec", "successPolicy"), ctx.Completions ?? 0, ctx.SucceededIndexes) is { } met)
            {
                ctx.FinishedCondition = JobConditions.New(JobConditions.SuccessCriteriaMet, "True", SuccessPolicy.ReasonSuccessPolicy, met, now);
            }
        }
    }

    /// <summary>
    /// A failing Job has its active pods deleted; otherwise pods are managed (when expectations allow and the Job is
    /// not being deleted), completion is detected, and the Suspended condition follows spec.suspend.
    /// </summary>
    private async Task<(int Active, Exception? Error, bool SuspendChanged)> ManageOrFinishAsync(JobSyncContext ctx, bool satisfied,
        CancellationToken cancellationToken)
    {
        if (ctx.FinishedCondition is not null)
        {
            var (remaining, error) = await DeleteActivePodsAsync(ctx, satisfied, cancellationToken).ConfigureAwait(false);
            return (remaining, error, false);
        }
        var active = ctx.ActivePods.Count;
        Exception? manageError = null;
        var manageCalled = satisfied && ctx.Job.GetString("metadata", "deletionTimestamp") is null;
        if (manageCalled)
        {
            (active, manageError) = await ManageJobAsync(ctx, cancellationToken).ConfigureAwait(false);
        }
        var now = _timeProvider.GetUtcNow();
        var complete = ctx.Completions is { } completions ? ctx.Succeeded >= completions && active == 0 : ctx.Succeeded > 0 && active == 0;
        if (complete)
        {
            ctx.FinishedCondition = JobConditions.New(JobConditions.SuccessCriteriaMet, "True", JobConditions.ReasonCompletionsReached,
                "Reached expected number of succeeded pods", now);
            return (active, manageError, false);
        }
        return (active, manageError, manageCalled && UpdateSuspendCondition(ctx, now));
    }

    private JobSyncContext NewContext(ObjectKey key, JsonObject job, IReadOnlyList<V1Pod> pods)
    {
        var active = PodUtil.FilterActivePods(pods);
        var ctx = new JobSyncContext
        {
            Key = key,
            Job = job,
            Pods = pods,
            ActivePods = active,
            Ready = active.Count(PodUtil.IsPodReady),
            Terminating = pods.Count(JobPods.IsTerminating),
            UncountedSucceeded = JobSyncContext.Uids(job, "succeeded"),
            UncountedFailed = JobSyncContext.Uids(job, "failed"),
            ExpectedRmFinalizers = FinalizerExpectations.GetExpectedUids(key),
        };
        ctx.PendingSucceeded.AddRange(ctx.UncountedSucceeded);
        ctx.PendingFailed.AddRange(ctx.UncountedFailed);
        return ctx;
    }

    /// <summary>
    /// The condition a running Job is heading for: a recorded SuccessCriteriaMet or FailureTarget decides; else a
    /// failed pod matching a FailJob rule of the pod failure policy; else the backoff limit (failed pods, or container restarts under OnFailure), else the active deadline, which otherwise
    /// re-queues the Job for the moment it will pass.
    /// </summary>
    private JsonObject? DecideFailure(JobSyncContext ctx, DateTimeOffset now)
    {
        var job = ctx.Job;
        if (JobConditions.FindTrue(job, JobConditions.SuccessCriteriaMet) is { } met)
        {
            return met;
        }
        if (JobConditions.FindTrue(job, JobConditions.FailureTarget) is { } target)
        {
            return JobConditions.New(JobConditions.Failed, "True", target.GetString("reason") ?? "", target.GetString("message") ?? "", now);
        }
        if (FailJobMessage(ctx) is { } failJob)
        {
            // The interim FailureTarget records the message before any finalizer (and so the failed pod) goes.
            return JobConditions.New(JobConditions.FailureTarget, "True", JobConditions.ReasonPodFailurePolicy, failJob, now);
        }
        var backoffLimit = (int)(job.GetLong("spec", "backoffLimit") ?? 6);
        if (ctx.Failed > backoffLimit || PastBackoffLimitOnFailure(job, ctx.Pods, backoffLimit))
        {
            return JobConditions.New(JobConditions.FailureTarget, "True", JobConditions.ReasonBackoffLimitExceeded, "Job has reached the specified backoff limit", now);
        }
        if (ActiveDeadlineRemaining(ctx, now) is { } remaining && !IsSuspended(job))
        {
            if (remaining <= TimeSpan.Zero)
            {
                return JobConditions.New(JobConditions.FailureTarget, "True", JobConditions.ReasonDeadlineExceeded, "Job was active longer than specified deadline", now);
            }
            Queue.AddAt(ctx.Key, now + remaining);
        }
        return null;
    }

    /// <summary>The message of the first failed pod matching a FailJob rule of the pod failure policy (upstream getFailJobMessage).</summary>
    private static string? FailJobMessage(JobSyncContext ctx) => ctx.PodFailurePolicy is { } policy
        ? ctx.Pods.Where(ctx.IsPodFailed).Select(p => PodFailurePolicy.Match(policy, p).FailJobMessage).FirstOrDefault(m => m is not null)
        : null;

    private static TimeSpan? ActiveDeadlineRemaining(JobSyncContext ctx, DateTimeOffset now)
    {
        if (ctx.Job.GetLong("spec", "activeDeadlineSeconds") is not { } seconds ||
            !DateTimeOffset.TryParse(ctx.Job.GetString("status", "startTime"), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var start))
        {
            return null;
        }
        return TimeSpan.FromSeconds(seconds) - (now - start);
    }

    /// <summary>OnFailure pods restart in place; their container restarts count toward backoffLimit (upstream pastBackoffLimitOnFailure).</summary>
    private static bool PastBackoffLimitOnFailure(JsonObject job, IReadOnlyList<V1Pod> pods, int backoffLimit)
    {
        if (job.GetString("spec", "template", "spec", "restartPolicy") != "OnFailure")
        {
            return false;
        }
        var restarts = pods.Sum(JobPods.RestartCount);
        return backoffLimit == 0 ? restarts > 0 : restarts >= backoffLimit;
    }

    /// <summary>Suspended=True while suspended; on resume Suspended=False and a fresh startTime (the deadline restarts).</summary>
    private bool UpdateSuspendCondition(JobSyncContext ctx, DateTimeOffset now)
    {
        if (IsSuspended(ctx.Job))
        {
            var suspended = JobConditions.EnsureStatus(ctx.Job, JobConditions.Suspended, "True", "JobSuspended", "Job suspended", now);
            if (suspended)
            {
                _recorder.Event(ctx.Job, EventTypes.Normal, "Suspended", "Job suspended");
            }
            return suspended;
        }
        var resumed = JobConditions.EnsureStatus(ctx.Job, JobConditions.Suspended, "False", "JobResumed", "Job resumed", now);
        if (resumed)
        {
            _recorder.Event(ctx.Job, EventTypes.Normal, "Resumed", "Job resumed");
            ctx.Status["startTime"] = MetaTimes.Format(now);
        }
        return resumed;
    }

    /// <summary>Newly finished pods: still holding the finalizer, not awaiting its removal, and not yet in uncountedTerminatedPods.</summary>
    private static (IReadOnlyList<V1Pod> Succeeded, IReadOnlyList<V1Pod> Failed) GetNewFinishedPods(JobSyncContext ctx)
    {
        var candidates = ctx.Pods.Where(p => JobPods.HasJobTrackingFinalizer(p) && !ctx.ExpectedRmFinalizers.Contains(p.Metadata.Uid)).ToList();
        return (
            [.. candidates.Where(p => p.Status?.Phase == "Succeeded" && !ctx.UncountedSucceeded.Contains(p.Metadata.Uid))],
            [.. candidates.Where(p => ctx.IsPodFailed(p) && !ctx.UncountedFailed.Contains(p.Metadata.Uid))]);
    }

    /// <summary>All pods of the namespace that name the Job as controller or match its selector, adopting orphans (upstream getPodsForJob).</summary>
    private async Task<IReadOnlyList<V1Pod>> GetPodsForJobAsync(JsonObject job, CancellationToken cancellationToken)
    {
        var selector = LabelSelector.FromLabelSelectorJson(job.GetObject("spec", "selector"));
        var candidates = _pods.Lister.List(job.GetNamespace());
        var manager = new ControllerRefManager(_client, KindRegistry.Pods, job, selector, ct => CanAdoptAsync(job, ct));
        var claimed = await manager.ClaimAsync(candidates, cancellationToken).ConfigureAwait(false);
        return [.. claimed.Select(_podModels.ToModel)];
    }

    private async Task<bool> CanAdoptAsync(JsonObject job, CancellationToken cancellationToken)
    {
        try
        {
            var fresh = await _client.GetAsync(KindRegistry.Jobs, job.GetNamespace(), job.GetName()!, cancellationToken).ConfigureAwait(false);
            return fresh.GetUid() == job.GetUid() && fresh.GetString("metadata", "deletionTimestamp") is null;
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return false;
        }
    }

    private static bool IsSuspended(JsonObject job) => job.GetBool("spec", "suspend") == true;

    /// <summary>Sets a counter, leaving zero out as Go's omitempty does.</summary>
    private static void SetCount(JsonObject status, string field, long value)
    {
        if (value == 0)
        {
            status.Remove(field);
        }
        else
        {
            status[field] = value;
        }
    }
}
