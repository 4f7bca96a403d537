using Berth.Client.Events;
using Berth.Controllers.Util;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Job;

public sealed partial class JobController
{
    /// <summary>
    /// Creates or deletes pods towards the wanted number of active pods (upstream manageJob): none while suspended,
    /// min(parallelism, completions - succeeded) otherwise (parallelism until the first success when completions is
    /// unset). A sync either deletes or creates, never both. Creation waits out the failure backoff by re-queueing
    /// the Job. Returns the active count after the writes and the first write error.
    /// </summary>
    private async Task<(int Active, Exception? Error)> ManageJobAsync(JobSyncContext ctx, CancellationToken cancellationToken)
    {
        var active = ctx.ActivePods.Count;
        var parallelism = (int)(ctx.Job.GetLong("spec", "parallelism") ?? 1);
        int wantActive;
        if (IsSuspended(ctx.Job))
        {
            wantActive = 0;
        }
        else if (ctx.Completions is { } completions)
        {
            wantActive = Math.Clamp(completions - ctx.Succeeded, 0, parallelism);
        }
        else
        {
            wantActive = ctx.Succeeded > 0 ? active : parallelism;
        }
        var toDelete = ActivePodsForRemoval(ctx, Math.Max(active - wantActive, 0));
        if (toDelete.Count > 0)
        {
            var (removed, error) = await DeleteJobPodsAsync(ctx, toDelete, cancellationToken).ConfigureAwait(false);
            return (active - removed, error);
        }
        var terminating = ctx.OnlyReplaceFailed ? ctx.Terminating : 0;
        var diff = Math.Min(wantActive - terminating - active, MaxPodCreateDeletePerSync);
        if (diff <= 0)
        {
            return (active, null);
        }
        var now = _timeProvider.GetUtcNow();
        var remaining = ctx.NewBackoffRecord.GetRemainingTime(now);
        if (remaining > TimeSpan.Zero)
        {
            Log.BackingOff(Logger, ctx.Key.Namespace, ctx.Key.Name, remaining);
            Queue.AddAt(ctx.Key, now + remaining);
            return (active, null);
        }
        var indexes = ctx.IsIndexed ? FirstPendingIndexes(ctx, diff) : [];
        if (ctx.IsIndexed)
        {
            diff = indexes.Count;
        }
        return await CreatePodsAsync(ctx, active, diff, indexes, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(int Active, Exception? Error)> CreatePodsAsync(JobSyncContext ctx, int active, int count, IReadOnlyList<int> indexes,
        CancellationToken cancellationToken)
    {
        Expectations.ExpectCreations(ctx.Key, count);
        Log.Creating(Logger, ctx.Key.Namespace, ctx.Key.Name, count);
        var next = -1;
        var (successes, error) = await SlowStart.BatchAsync(count, 1, () =>
        {
            var i = Interlocked.Increment(ref next);
            return CreatePodAsync(ctx, ctx.IsIndexed ? indexes[i] : null, cancellationToken);
        }).ConfigureAwait(false);
        for (var skipped = count - successes; skipped > 0; skipped--)
        {
            Expectations.CreationObserved(ctx.Key);
        }
        return (active + successes, error);
    }

    private async Task CreatePodAsync(JobSyncContext ctx, int? index, CancellationToken cancellationToken)
    {
        var pod = JobPodTemplate.NewPod(ctx.Job, index);
        try
        {
            var created = await _client.CreateAsync(KindRegistry.Pods, ctx.Key.Namespace, pod, cancellationToken: cancellationToken).ConfigureAwait(false);
            // As upstream's pod control: `kubectl describe job` lists each pod the Job started.
            _recorder.Eventf(ctx.Job, EventTypes.Normal, "SuccessfulCreate", "Created pod: {0}", created.GetName());
        }
        catch (ApiException e)
        {
            _recorder.Eventf(ctx.Job, EventTypes.Warning, "FailedCreate", "Error creating: {0}", e.Message);
            throw;
        }
    }

    /// <summary>
    /// The active pods to remove first: for Indexed Jobs, pods without a valid pending index and duplicates of an
    /// index; then, up to <paramref name="atLeast"/>, the active pods in deletion order.
    /// </summary>
    private List<V1Pod> ActivePodsForRemoval(JobSyncContext ctx, int atLeast)
    {
        var remove = new List<V1Pod>();
        var rest = ctx.ActivePods.ToList();
        if (ctx.IsIndexed)
        {
            var seen = new HashSet<int>();
            foreach (var pod in ctx.ActivePods.OrderBy(p => PodUtil.IsPodReady(p) ? 0 : 1))
            {
                var ix = JobPods.GetCompletionIndex(pod);
                if (ix == JobPods.UnknownCompletionIndex || ix >= (ctx.Completions ?? 0) || ctx.SucceededIndexes.Contains(ix) || !seen.Add(ix))
                {
                    remove.Add(pod);
                    rest.Remove(pod);
                }
            }
        }
        if (remove.Count < atLeast)
        {
            remove.AddRange(ActivePodsWithRanks.Sort(rest, [.. rest.Select(_ => 0)], _timeProvider.GetUtcNow()).Take(atLeast - remove.Count));
        }
        return [.. remove.Take(MaxPodCreateDeletePerSync)];
    }

    /// <summary>Removes the finalizer (the pods are not counted) and deletes each pod; returns how many were deleted.</summary>
    private async Task<(int Removed, Exception? Error)> DeleteJobPodsAsync(JobSyncContext ctx, IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken)
    {
        Expectations.ExpectDeletions(ctx.Key, pods.Select(p => new ObjectKey(p.Metadata.NamespaceProperty ?? "", p.Metadata.Name)));
        Log.Deleting(Logger, ctx.Key.Namespace, ctx.Key.Name, pods.Count);
        var results = await Task.WhenAll(pods.Select(async p =>
        {
            var error = await RemoveFinalizerAsync(p, cancellationToken).ConfigureAwait(false) ?? await DeletePodAsync(ctx, p, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                Expectations.DeletionObserved(ctx.Key, new ObjectKey(p.Metadata.NamespaceProperty ?? "", p.Metadata.Name));
            }
            return (Pod: p, Error: error);
        })).ConfigureAwait(false);
        AfterDeletes(ctx, results);
        return (results.Count(r => r.Error is null), results.Select(r => r.Error).FirstOrDefault(e => e is not null));
    }

    /// <summary>
    /// A finished Job's active pods are deleted with their finalizers kept, so that they are counted as failed. The
    /// terminal condition waits while a delete failed or expectations are pending (upstream deleteActivePods).
    /// </summary>
    private async Task<(int Active, Exception? Error)> DeleteActivePodsAsync(JobSyncContext ctx, bool satisfied, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(ctx.ActivePods.Select(async p => (Pod: p, Error: await DeletePodAsync(ctx, p, cancellationToken).ConfigureAwait(false))))
            .ConfigureAwait(false);
        AfterDeletes(ctx, results);
        var deleted = results.Count(r => r.Error is null);
        if (deleted != ctx.ActivePods.Count || !satisfied)
        {
            ctx.FinishedCondition = null;
        }
        return (ctx.ActivePods.Count - deleted, results.Select(r => r.Error).FirstOrDefault(e => e is not null));
    }

    private static void AfterDeletes(JobSyncContext ctx, IReadOnlyList<(V1Pod Pod, Exception? Error)> results)
    {
        var deleted = results.Where(r => r.Error is null).Select(r => r.Pod).ToList();
        ctx.Terminating += deleted.Count;
        ctx.Ready -= deleted.Count(PodUtil.IsPodReady);
    }

    /// <summary>Graceful delete guarded by UID; NotFound counts as deleted.</summary>
    private async Task<Exception?> DeletePodAsync(JobSyncContext ctx, V1Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteAsync(KindRegistry.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name, new DeleteOptions(PreconditionUid: pod.Metadata.Uid),
                cancellationToken).ConfigureAwait(false);
            _recorder.Eventf(ctx.Job, EventTypes.Normal, "SuccessfulDelete", "Deleted pod: {0}", pod.Metadata.Name);
            return null;
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            return null;
        }
        catch (ApiException e)
        {
            _recorder.Eventf(ctx.Job, EventTypes.Warning, "FailedDelete", "Error deleting: {0}", e.Message);
            return e;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2950, Level = LogLevel.Debug, Message = "Too few pods for Job {Namespace}/{Name}, creating {Count}")]
        public static partial void Creating(ILogger logger, string @namespace, string name, int count);

        [LoggerMessage(EventId = 2951, Level = LogLevel.Debug, Message = "Too many pods for Job {Namespace}/{Name}, deleting {Count}")]
        public static partial void Deleting(ILogger logger, string @namespace, string name, int count);

        [LoggerMessage(EventId = 2952, Level = LogLevel.Debug, Message = "Job {Namespace}/{Name} backs off pod creation for {Delay}")]
        public static partial void BackingOff(ILogger logger, string @namespace, string name, TimeSpan delay);

        [LoggerMessage(EventId = 2953, Level = LogLevel.Information, Message = "Job {Namespace}/{Name} finished: {Condition}")]
        public static partial void Finished(ILogger logger, string @namespace, string name, string condition);
    }
}
