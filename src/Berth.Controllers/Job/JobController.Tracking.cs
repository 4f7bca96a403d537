using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Controllers.Scheduling;
using Berth.Controllers.Util;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.Controllers.Job;

public sealed partial class JobController
{
    /// <summary>
    /// Counts finished pods exactly once (upstream trackJobStatusAndRemoveFinalizers): (1) write the UIDs of newly
    /// finished pods into <c>status.uncountedTerminatedPods</c> (and an interim SuccessCriteriaMet / FailureTarget
    /// condition), (2) remove their tracking finalizers, (3) move the UIDs whose finalizer is gone into the
    /// succeeded / failed counters, and add the terminal Complete or Failed condition once nothing is uncounted or
    /// terminating. A crash between the steps repeats a step, never a count. Throws on a write error (retried).
    /// </summary>
    private async Task TrackJobStatusAndRemoveFinalizersAsync(JobSyncContext ctx, bool needsFlush, CancellationToken cancellationToken)
    {
        var uidsWithFinalizer = ctx.Pods.Where(p => JobPods.HasJobTrackingFinalizer(p) && !ctx.ExpectedRmFinalizers.Contains(p.Metadata.Uid))
            .Select(p => p.Metadata.Uid).ToHashSet();
        needsFlush |= CleanUncountedPodsWithoutFinalizers(ctx, uidsWithFinalizer);
        var (toRemove, newIndexes, reachedMax, recorded) = CollectFinishedPods(ctx);
        needsFlush |= recorded;
        if (ctx.IsIndexed)
        {
            ctx.SucceededIndexes = ctx.SucceededIndexes.With(newIndexes);
            var text = ctx.SucceededIndexes.ToString();
            needsFlush |= text != (ctx.Status.GetString("completedIndexes") ?? "");
            SetCount(ctx.Status, "succeeded", ctx.SucceededIndexes.Count);
            SetOrRemove(ctx.Status, "completedIndexes", text);
        }
        needsFlush |= PrepareInterimCondition(ctx);
        if (needsFlush)
        {
            await UpdateStatusAsync(ctx, cancellationToken).ConfigureAwait(false);
            BackoffStore.Update(ctx.Key, ctx.NewBackoffRecord);
            needsFlush = false;
        }
        var removeError = await RemoveTrackingFinalizersAsync(ctx, toRemove, uidsWithFinalizer, cancellationToken).ConfigureAwait(false);
        needsFlush |= CleanUncountedPodsWithoutFinalizers(ctx, uidsWithFinalizer);
        var finished = removeError is null && !reachedMax && EnactJobFinished(ctx);
        if (needsFlush || finished)
        {
            await UpdateStatusAsync(ctx, cancellationToken).ConfigureAwait(false);
        }
        if (removeError is not null)
        {
            throw removeError;
        }
        if (finished)
        {
            RecordJobFinished(ctx);
        }
    }

    /// <summary>
    /// Removes the finalizers (expecting each removal until the informer shows it) and takes the pods that lost it
    /// out of <paramref name="uidsWithFinalizer"/>. Returns the first error.
    /// </summary>
    private async Task<Exception?> RemoveTrackingFinalizersAsync(JobSyncContext ctx, List<V1Pod> pods, HashSet<string> uidsWithFinalizer,
        CancellationToken cancellationToken)
    {
        if (pods.Count == 0)
        {
            return null;
        }
        FinalizerExpectations.ExpectFinalizersRemoved(ctx.Key, pods.Select(p => p.Metadata.Uid));
        var errors = await Task.WhenAll(pods.Select(p => RemoveFinalizerAsync(p, cancellationToken))).ConfigureAwait(false);
        for (var i = 0; i < pods.Count; i++)
        {
            if (errors[i] is null)
            {
                uidsWithFinalizer.Remove(pods[i].Metadata.Uid);
            }
            else
            {
                FinalizerExpectations.FinalizerRemovalObserved(ctx.Key, pods[i].Metadata.Uid);
            }
        }
        return errors.FirstOrDefault(e => e is not null);
    }

    /// <summary>
    /// The finished pods whose finalizer may go now, recording the not yet recorded ones in the uncounted lists (the
    /// Indexed Job's succeeded pods by index instead). When the Job is failing, every pod counts as failed.
    /// </summary>
    private static (List<V1Pod> ToRemove, List<int> NewIndexes, bool ReachedMax, bool Recorded) CollectFinishedPods(JobSyncContext ctx)
    {
        var toRemove = new List<V1Pod>();
        var newIndexes = new List<int>();
        var (succeeded, failed) = (ctx.PendingSucceeded, ctx.PendingFailed);
        var recorded = false;
        var failing = ctx.FinishedCondition is { } c && c.GetString("type") != JobConditions.SuccessCriteriaMet;
        foreach (var pod in InTrackingOrder(ctx))
        {
            var uid = pod.Metadata.Uid;
            if (!JobPods.HasJobTrackingFinalizer(pod) || ctx.ExpectedRmFinalizers.Contains(uid))
            {
                continue;
            }
            var podFailed = ctx.IsPodFailed(pod);
            var jobEnding = ctx.Job.GetString("metadata", "deletionTimestamp") is not null || ctx.FinishedCondition is not null;
            if (!jobEnding && !podFailed && pod.Status?.Phase != "Succeeded")
            {
                continue;
            }
            toRemove.Add(pod);
            var ix = JobPods.GetCompletionIndex(pod);
            var validIndex = !ctx.IsIndexed || (ix != JobPods.UnknownCompletionIndex && ix < (ctx.Completions ?? 0));
            if (pod.Status?.Phase == "Succeeded" && !ctx.UncountedFailed.Contains(uid))
            {
                if (ctx.IsIndexed && validIndex && !ctx.PrevSucceededIndexes.Contains(ix))
                {
                    newIndexes.Add(ix);
                    recorded = true;
                }
                else if (!ctx.IsIndexed && !ctx.UncountedSucceeded.Contains(uid))
                {
                    succeeded.Add(uid);
                    recorded = true;
                }
            }
            else if ((podFailed || failing) && !ctx.UncountedFailed.Contains(uid) && validIndex &&
                PodFailurePolicy.Match(ctx.PodFailurePolicy, pod).CountFailed)
            {
                // A pod matching an Ignore rule only loses its finalizer; it is not counted as failed.
                failed.Add(uid);
                recorded = true;
            }
            if (newIndexes.Count + succeeded.Count + failed.Count >= MaxUncountedPods)
            {
                return (toRemove, newIndexes, true, recorded);
            }
        }
        return (toRemove, newIndexes, false, recorded);
    }

    /// <summary>
    /// Appends the interim FailureTarget or SuccessCriteriaMet condition (written before any finalizer goes) and
    /// turns <see cref="JobSyncContext.FinishedCondition"/> into the terminal condition to add later.
    /// </summary>
    private bool PrepareInterimCondition(JobSyncContext ctx)
    {
        var now = _timeProvider.GetUtcNow();
        if (ctx.FinishedCondition is not { } condition)
        {
            return false;
        }
        var (type, reason, message) = (condition.GetString("type"), condition.GetString("reason") ?? "", condition.GetString("message") ?? "");
        var changed = false;
        if (type == JobConditions.FailureTarget)
        {
            JobConditions.Append(ctx.Job, condition);
            ctx.FinishedCondition = JobConditions.New(JobConditions.Failed, "True", reason, message, now);
            changed = true;
        }
        else if (type == JobConditions.SuccessCriteriaMet)
        {
            if (JobConditions.FindTrue(ctx.Job, JobConditions.SuccessCriteriaMet) is null)
            {
                JobConditions.Append(ctx.Job, condition);
                changed = true;
            }
            ctx.FinishedCondition = JobConditions.New(JobConditions.Complete, "True", reason, message, now);
        }
        return changed;
    }

    /// <summary>Moves uncounted UIDs whose pod no longer holds the finalizer into the counters. Returns whether anything moved.</summary>
    private static bool CleanUncountedPodsWithoutFinalizers(JobSyncContext ctx, HashSet<string> uidsWithFinalizer)
    {
        var changed = false;
        foreach (var (uids, counter) in (ReadOnlySpan<(List<string>, string)>)[(ctx.PendingSucceeded, "succeeded"), (ctx.PendingFailed, "failed")])
        {
            var counted = uids.RemoveAll(uid => !uidsWithFinalizer.Contains(uid));
            if (counted > 0)
            {
                changed = true;
                SetCount(ctx.Status, counter, (ctx.Status.GetLong(counter) ?? 0) + counted);
            }
        }
        return changed;
    }

    /// <summary>Adds the terminal condition when nothing is uncounted or terminating any more (upstream enactJobFinished).</summary>
    private bool EnactJobFinished(JobSyncContext ctx)
    {
        if (ctx.FinishedCondition is not { } condition || ctx.PendingSucceeded.Count + ctx.PendingFailed.Count > 0 || ctx.Terminating > 0)
        {
            return false;
        }
        var now = _timeProvider.GetUtcNow();
        var type = condition.GetString("type")!;
        JobConditions.EnsureStatus(ctx.Job, type, "True", condition.GetString("reason") ?? "", condition.GetString("message") ?? "", now);
        if (type == JobConditions.Complete)
        {
            ctx.Status["completionTime"] = MetaTimes.Format(now);
        }
        return true;
    }

    private void RecordJobFinished(JobSyncContext ctx)
    {
        var condition = ctx.FinishedCondition!;
        Log.Finished(Logger, ctx.Key.Namespace, ctx.Key.Name, condition.GetString("type")!);
        if (condition.GetString("type") == JobConditions.Complete)
        {
            _recorder.Event(ctx.Job, EventTypes.Normal, "Completed", "Job completed");
            return;
        }
        _recorder.Event(ctx.Job, EventTypes.Warning, condition.GetString("reason") ?? "", condition.GetString("message") ?? "");
    }

    /// <summary>
    /// Writes the working status (with the pending uncounted UIDs) through <c>/status</c> and continues with the
    /// returned object. A conflict propagates: the sync is retried from a fresh cache.
    /// </summary>
    private async Task UpdateStatusAsync(JobSyncContext ctx, CancellationToken cancellationToken)
    {
        var uncounted = new JsonObject();
        if (ctx.PendingSucceeded.Count > 0)
        {
            uncounted["succeeded"] = new JsonArray([.. ctx.PendingSucceeded.Select(u => JsonValue.Create(u))]);
        }
        if (ctx.PendingFailed.Count > 0)
        {
            uncounted["failed"] = new JsonArray([.. ctx.PendingFailed.Select(u => JsonValue.Create(u))]);
        }
        ctx.Status["uncountedTerminatedPods"] = uncounted;
        ctx.Job = await _client.UpdateAsync(KindRegistry.Jobs, ctx.Key.Namespace, ctx.Job, "status", cancellationToken: cancellationToken).ConfigureAwait(false);
        StatusWrites.ExpectObserved(ctx.Key, ctx.Job.GetResourceVersion());
    }

    /// <summary>Removes the tracking finalizer from one pod (live read-modify-write, guarded by UID); a pod already gone counts as done.</summary>
    private async Task<Exception?> RemoveFinalizerAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        if (!JobPods.HasJobTrackingFinalizer(pod))
        {
            return null;
        }
        try
        {
            await ObjectUpdater.UpdateAsync(_client, KindRegistry.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name, pod.Metadata.Uid,
                RemoveTrackingFinalizer, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
        catch (ApiException e)
        {
            return e;
        }
    }

    private static bool RemoveTrackingFinalizer(JsonObject pod)
    {
        if (pod.GetArray("metadata", "finalizers") is not { } finalizers)
        {
            return false;
        }
        var kept = finalizers.Where(f => f?.GetValue<string>() != JobPods.JobTrackingFinalizer).Select(f => f!.DeepClone()).ToList();
        if (kept.Count == finalizers.Count)
        {
            return false;
        }
        if (kept.Count == 0)
        {
            pod.Metadata().Remove("finalizers");
        }
        else
        {
            pod.Metadata()["finalizers"] = new JsonArray([.. kept]);
        }
        return true;
    }

    private static void SetOrRemove(JsonObject status, string field, string value)
    {
        if (value.Length == 0)
        {
            status.Remove(field);
        }
        else
        {
            status[field] = value;
        }
    }
}
