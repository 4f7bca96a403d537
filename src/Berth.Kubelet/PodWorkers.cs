using Berth.Kubelet.Container;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet;

/// <summary>
/// One asynchronous loop per pod UID that drives the pod through SyncPod → TerminatingPod → TerminatedPod →
/// finished by calling <see cref="IPodSyncer"/>. Updates are coalesced (only the newest pending one is kept); once
/// termination is requested every later update is a kill, kill options are never lost, and the grace period only
/// decreases (<see cref="GracePeriods.CalculateEffectiveGracePeriod"/>) — a decrease reaches a kill already in
/// progress through the shared <see cref="GracePeriodOverride"/>. A SyncPod in flight is cancelled when termination
/// is requested. A finished UID never runs again: its updates are ignored until <see cref="SyncKnownPods"/> forgets
/// it, and then it is remembered as a tombstone. Mirrors kubernetes/kubernetes pkg/kubelet/pod_workers.go.
/// </summary>
/// <remarks>
/// Thread-safe: all public members may be called from any thread (informer handlers, PLEG, probes, housekeeping).
/// Time comes from the injected <see cref="TimeProvider"/>; resyncs and retries are timers on it.
/// </remarks>
public sealed partial class PodWorkers(IPodSyncer syncer, TimeProvider time, KubeletOptions options, ILogger<PodWorkers> logger)
{
    private static readonly TimeSpan TombstoneLifetime = TimeSpan.FromHours(1);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PodSyncStatus> _statuses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _tombstones = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>
    /// Queues <paramref name="update"/> for its pod's worker, starting the worker on first sight. A pod with a
    /// deletionTimestamp or a terminal phase, a Kill update, or a runtime-only pod moves the worker to termination.
    /// </summary>
    public void UpdatePod(UpdatePodOptions update)
    {
        var uid = update.Uid;
        TaskCompletionSource? completeNow = null;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested || uid.Length == 0 || _tombstones.ContainsKey(uid))
            {
                completeNow = update.KillPodOptions?.Completed;
            }
            else if (!_statuses.TryGetValue(uid, out var status) && update.Pod is null && update.UpdateType != SyncPodType.Kill)
            {
                Log.RuntimePodUpdateIgnored(logger, uid);
            }
            else
            {
                status ??= Start(uid);
                completeNow = Apply(status, update);
            }
        }

        completeNow?.TrySetResult();
    }

    private PodSyncStatus Start(string uid)
    {
        var status = new PodSyncStatus();
        _statuses[uid] = status;
        status.Loop = Task.Run(() => WorkerLoopAsync(uid, status));
        return status;
    }

    // Under the lock. Returns a completion to signal outside the lock when the update is moot.
    private TaskCompletionSource? Apply(PodSyncStatus status, UpdatePodOptions update)
    {
        var pod = update.Pod ?? status.PendingUpdate?.Pod ?? status.ActiveUpdate?.Pod;
        var isRuntimePod = pod is null;
        update = update with { Pod = pod, RunningPod = isRuntimePod ? update.RunningPod : null };
        if (status.Finished)
        {
            return update.KillPodOptions?.Completed;
        }

        var becameTerminating = !status.IsTerminationRequested && RequestsTermination(status, update, isRuntimePod);
        if (status.IsTerminated)
        {
            if (isRuntimePod)
            {
                return update.KillPodOptions?.Completed;
            }

            update.KillPodOptions?.Completed?.TrySetResult();
            update = update with { KillPodOptions = null };
        }
        else if (status.IsTerminationRequested)
        {
            update = update with { KillPodOptions = TrackKill(status, update) };
        }
        else
        {
            update.KillPodOptions?.Completed?.TrySetResult();
            update = update with { KillPodOptions = null };
        }

        status.PendingUpdate = update;
        status.Working = true;
        status.Signal.Set();
        if (becameTerminating)
        {
            status.SyncCancellation?.Cancel();
        }

        return null;
    }

    private bool RequestsTermination(PodSyncStatus status, UpdatePodOptions update, bool isRuntimePod)
    {
        var pod = update.Pod;
        if (isRuntimePod || (pod is not null && PodSpecs.IsDeleting(pod)))
        {
            status.Deleted = true;
        }
        else if (!(pod is not null && PodSpecs.IsTerminalPhase(pod.Status?.Phase)) && update.UpdateType != SyncPodType.Kill)
        {
            return false;
        }

        status.TerminatingAt = time.GetUtcNow();
        Log.TerminationRequested(logger, update.Uid, isRuntimePod ? "orphaned runtime pod" : status.Deleted ? "deleted" : pod is not null && PodSpecs.IsTerminalPhase(pod.Status?.Phase) ? "terminal phase" : "killed by the agent");
        return true;
    }

    // Under the lock: folds the kill request into the worker (grace only decreases, waiters and status funcs kept).
    private KillPodOptions TrackKill(PodSyncStatus status, UpdatePodOptions update)
    {
        var kill = update.KillPodOptions ?? new KillPodOptions();
        if (kill.Completed is { } completed)
        {
            status.NotifyPostTerminating.Add(completed);
        }

        if (kill.PodStatusFunc is { } fn)
        {
            status.StatusPostTerminating.Add(fn);
        }

        var (grace, shortened) = GracePeriods.CalculateEffectiveGracePeriod(status.Grace?.Seconds ?? 0, update.Pod, kill.GracePeriodSecondsOverride);
        if (status.Grace is null)
        {
            status.Grace = new GracePeriodOverride(grace);
        }
        else if (shortened && status.Grace.TryShorten(grace))
        {
            Log.GraceShortened(logger, update.Uid, grace);
        }

        return kill with { GracePeriodSecondsOverride = status.Grace.Seconds };
    }

    /// <summary>The state of a pod's worker, or null when there is none.</summary>
    public PodWorkerState? GetState(string uid)
    {
        lock (_gate)
        {
            return _statuses.TryGetValue(uid, out var s) ? s.WorkType : null;
        }
    }

    /// <summary>The newest version of the pod the worker knows (null for runtime-only pods and unknown UIDs).</summary>
    public V1Pod? GetPod(string uid)
    {
        lock (_gate)
        {
            return _statuses.TryGetValue(uid, out var s) ? s.PendingUpdate?.Pod ?? s.ActiveUpdate?.Pod : null;
        }
    }

    /// <summary>True while the pod's containers may still run (no worker: false). Used by the status manager.</summary>
    public bool CouldHaveRunningContainers(string uid)
    {
        lock (_gate)
        {
            return _statuses.TryGetValue(uid, out var s) && !s.IsTerminated;
        }
    }

    /// <summary>Termination of the pod was requested (it will never run a container again).</summary>
    public bool IsPodTerminationRequested(string uid)
    {
        lock (_gate)
        {
            return _statuses.TryGetValue(uid, out var s) && s.IsTerminationRequested;
        }
    }

    /// <summary>The pod's containers all stopped (terminated or finished), or it is a tombstone.</summary>
    public bool IsPodKnownTerminated(string uid)
    {
        lock (_gate)
        {
            return _tombstones.ContainsKey(uid) || (_statuses.TryGetValue(uid, out var s) && s.IsTerminated);
        }
    }

    /// <summary>The worker finished (SyncTerminatedPod succeeded), or it is a tombstone.</summary>
    public bool IsPodFinished(string uid)
    {
        lock (_gate)
        {
            return _tombstones.ContainsKey(uid) || (_statuses.TryGetValue(uid, out var s) && s.Finished);
        }
    }

    /// <summary>UIDs with a worker (any state).</summary>
    public IReadOnlyList<string> KnownUids()
    {
        lock (_gate)
        {
            return [.. _statuses.Keys];
        }
    }

    /// <summary>
    /// Housekeeping: forgets finished workers of pods not in <paramref name="desiredUids"/> (keeping a tombstone so
    /// the UID never starts again) and expires old tombstones. Returns the state of every remaining worker.
    /// </summary>
    public IReadOnlyDictionary<string, PodWorkerState> SyncKnownPods(IReadOnlySet<string> desiredUids)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            foreach (var uid in _tombstones.Where(t => now - t.Value > TombstoneLifetime).Select(t => t.Key).ToList())
            {
                _tombstones.Remove(uid);
            }

            foreach (var (uid, _) in _statuses.Where(s => s.Value.Finished && !desiredUids.Contains(s.Key)).ToList())
            {
                _statuses.Remove(uid);
                _tombstones[uid] = now;
            }

            return _statuses.ToDictionary(s => s.Key, s => s.Value.WorkType);
        }
    }

    /// <summary>Stops every worker loop (agent shutdown; pods are not killed) and waits for them.</summary>
    public async Task StopAsync()
    {
        Task[] loops;
        lock (_gate)
        {
            _stopping.Cancel();
            loops = [.. _statuses.Values.Select(s => s.Loop).OfType<Task>()];
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
    }
}
