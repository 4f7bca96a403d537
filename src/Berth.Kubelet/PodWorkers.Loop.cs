using Berth.Kubelet.Util;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet;

public sealed partial class PodWorkers
{
    /// <summary>What one loop iteration does: the work type, the update it works on, and the SyncPod cancellation.</summary>
    private sealed record Work(PodWorkerState Type, UpdatePodOptions Update, CancellationToken SyncToken);

    private async Task WorkerLoopAsync(string uid, PodSyncStatus status)
    {
        var stop = _stopping.Token;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await status.Signal.WaitAsync(UntilNextResync(status), time, stop).ConfigureAwait(false);
                if (StartPodSync(uid, status) is not { } work)
                {
                    continue;
                }

                var (error, result) = await RunAsync(uid, work).ConfigureAwait(false);
                if (CompleteWork(uid, status, work, error, result))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Agent shutdown: the pods keep running.
        }
    }

    private TimeSpan UntilNextResync(PodSyncStatus status)
    {
        lock (_gate)
        {
            if (status.NextResync is not { } next)
            {
                return Timeout.InfiniteTimeSpan;
            }

            var wait = next - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
    }

    // Takes the pending update (or, on a timer, re-runs the active one as a resync) and decides the work type.
    private Work? StartPodSync(string uid, PodSyncStatus status)
    {
        lock (_gate)
        {
            var update = status.PendingUpdate ?? status.ActiveUpdate;
            if (update is null || status.Finished)
            {
                return null;
            }

            if (status.PendingUpdate is null)
            {
                update = update with { UpdateType = status.IsTerminationRequested ? SyncPodType.Kill : SyncPodType.Sync };
            }

            status.PendingUpdate = null;
            status.ActiveUpdate = update;
            status.NextResync = null;
            status.StartedAt ??= time.GetUtcNow();
            status.SyncCancellation?.Dispose();
            status.SyncCancellation = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            Log.Working(logger, uid, status.WorkType.ToString(), update.UpdateType.ToString());
            return new Work(status.WorkType, update, status.SyncCancellation.Token);
        }
    }

    private async Task<(Exception? Error, PodSyncResult? Result)> RunAsync(string uid, Work work)
    {
        var update = work.Update;
        try
        {
            switch (work.Type)
            {
                case PodWorkerState.TerminatedPod:
                    await syncer.SyncTerminatedPodAsync(update.Pod!, _stopping.Token).ConfigureAwait(false);
                    return (null, null);
                case PodWorkerState.TerminatingPod when update.RunningPod is { } runningPod:
                    await syncer.SyncTerminatingRuntimePodAsync(runningPod, _stopping.Token).ConfigureAwait(false);
                    return (null, null);
                case PodWorkerState.TerminatingPod:
                    var (grace, statusFn) = TerminationInputs(uid);
                    await syncer.SyncTerminatingPodAsync(update.Pod!, grace, statusFn, _stopping.Token).ConfigureAwait(false);
                    return (null, null);
                default:
                    return (null, await syncer.SyncPodAsync(update.UpdateType, update.Pod!, work.SyncToken).ConfigureAwait(false));
            }
        }
        catch (OperationCanceledException) when (work.SyncToken.IsCancellationRequested && !_stopping.IsCancellationRequested)
        {
            Log.SyncCancelled(logger, uid);
            return (null, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SyncFailed(logger, uid, work.Type.ToString(), ex);
            return (ex, null);
        }
    }

    private (GracePeriodOverride Grace, Action<V1PodStatus>? StatusFn) TerminationInputs(string uid)
    {
        lock (_gate)
        {
            var status = _statuses[uid];
            status.Grace ??= new GracePeriodOverride(GracePeriods.CalculateEffectiveGracePeriod(0, status.ActiveUpdate?.Pod, null).GracePeriod);
            var fns = status.StatusPostTerminating.ToList();
            return (status.Grace, fns.Count == 0 ? null : s => fns.ForEach(fn => fn(s)));
        }
    }

    // Records the outcome, schedules the next run, and returns true when the worker is finished and must exit.
    private bool CompleteWork(string uid, PodSyncStatus status, Work work, Exception? error, PodSyncResult? result)
    {
        List<TaskCompletionSource> notify = [];
        bool exit;
        lock (_gate)
        {
            var (transition, finished) = RecordOutcome(uid, status, work, error, result, notify);
            exit = finished;
            if (!exit && (transition || status.PendingUpdate is not null))
            {
                status.Signal.Set();
            }
            else if (!exit)
            {
                status.Working = false;
            }
        }

        notify.ForEach(n => n.TrySetResult());
        return exit;
    }

    // Under the lock: applies the state transition of a finished piece of work (completeWork, completeTerminating,
    // completeTerminated, completeSync) and collects the kill waiters to release.
    private (bool Transition, bool Exit) RecordOutcome(string uid, PodSyncStatus status, Work work, Exception? error,
        PodSyncResult? result, List<TaskCompletionSource> notify)
    {
        var now = time.GetUtcNow();
        if (error is not null)
        {
            status.NextResync = now + options.SyncErrorBackOff;
            return (false, false);
        }

        if (work.Type == PodWorkerState.TerminatedPod || (work.Type == PodWorkerState.TerminatingPod && work.Update.RunningPod is not null))
        {
            status.TerminatedAt ??= now;
            (status.Finished, status.Working) = (true, false);
            notify.AddRange(status.NotifyPostTerminating);
            status.NotifyPostTerminating.Clear();
            Log.Finished(logger, uid);
            return (false, true);
        }

        if (work.Type == PodWorkerState.TerminatingPod)
        {
            status.TerminatedAt = now;
            notify.AddRange(status.NotifyPostTerminating);
            status.NotifyPostTerminating.Clear();
            return (true, false);
        }

        if (result is { IsTerminal: true })
        {
            status.TerminatingAt ??= now;
            return (true, false);
        }

        if (result is not null)
        {
            var resync = result.StartFailed ? options.SyncErrorBackOff : options.SyncFrequency;
            status.NextResync = now + (result.RetryAfter is { } retry && retry < resync ? retry : resync);
        }

        return (false, false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "Pod worker {PodUid}: {WorkType} ({UpdateType})")]
        public static partial void Working(ILogger logger, string podUid, string workType, string updateType);

        [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Pod {PodUid}: termination requested ({Cause})")]
        public static partial void TerminationRequested(ILogger logger, string podUid, string cause);

        [LoggerMessage(EventId = 5103, Level = LogLevel.Information, Message = "Pod {PodUid}: grace period shortened to {GracePeriod}s")]
        public static partial void GraceShortened(ILogger logger, string podUid, long gracePeriod);

        [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "Error syncing pod {PodUid} ({WorkType}); retrying after back-off")]
        public static partial void SyncFailed(ILogger logger, string podUid, string workType, Exception exception);

        [LoggerMessage(EventId = 5105, Level = LogLevel.Debug, Message = "Pod {PodUid}: SyncPod cancelled because termination was requested")]
        public static partial void SyncCancelled(ILogger logger, string podUid);

        [LoggerMessage(EventId = 5106, Level = LogLevel.Information, Message = "Pod worker {PodUid} finished")]
        public static partial void Finished(ILogger logger, string podUid);

        [LoggerMessage(EventId = 5107, Level = LogLevel.Debug, Message = "Ignoring update of runtime-only pod {PodUid}: runtime pods can only be killed")]
        public static partial void RuntimePodUpdateIgnored(ILogger logger, string podUid);
    }
}
