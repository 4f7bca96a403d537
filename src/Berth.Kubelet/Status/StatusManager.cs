using Berth.Kubelet.Container;
using Berth.Kubelet.Prober;
using Berth.Kubelet.Util;
using Berth.Registry;
using Berth.Machinery.Serialization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Status;

/// <summary>
/// The agent's cache of pod statuses and the only writer of <c>pods/status</c>. <see cref="SetPodStatus"/> versions a
/// status (ignoring it when nothing the kubelet owns changed), settles condition transition times and startTime, and
/// wakes the sync loop, which merges it into the API's copy (the kubelet's own copy of the pod, guarded by a
/// resourceVersion precondition, else a fresh read) and patches only when it differs, longest-waiting pod first; a full
/// resync every <see cref="KubeletOptions.StatusSyncPeriod"/> repairs drift. Never stale: a cached status is sent only if its version
/// is newer than the one last written. A terminal phase never regresses. When the pod is being deleted, its API
/// phase is terminal and <see cref="TerminatePod"/> marked it finished, the manager issues the final
/// <c>DELETE</c> (grace 0, UID precondition). Mirrors kubernetes/kubernetes pkg/kubelet/status/status_manager.go.
/// </summary>
/// <remarks>
/// Thread-safe (one lock around the cache). API calls happen only in the loop's writes (<see cref="RunAsync"/>) and
/// <see cref="SyncBatchAsync"/> rounds, up to <c>maxConcurrentWrites</c> pods at a time (upstream writes one pod at a
/// time; Berth overlaps them, and starts a pod's write without waiting for the others' to end, so a burst of pods is
/// not serialised behind one write loop), never two writes of one pod at once.
/// </remarks>
public sealed partial class StatusManager : IPodStatusProvider
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, VersionedPodStatus> _statuses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ulong> _apiVersions = new(StringComparer.Ordinal);
    private readonly AsyncSignal _notify = new();
    private readonly IApiClient _api;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _syncPeriod;
    private readonly TimeSpan _pendingStatusHold;
    private readonly int _maxConcurrentWrites;
    private DateTimeOffset? _heldUntil;
    private ulong _queued;
    private Func<string, V1Pod?> _podLookup = static _ => null;
    private Func<string, bool> _couldHaveRunningContainers = static _ => false;

    /// <param name="pendingStatusHold">
    /// How long a pod's first status is held back while its containers are being created
    /// (<see cref="KubeletOptions.PendingStatusHold"/>); zero, the default, writes it at once.
    /// </param>
    /// <param name="maxConcurrentWrites">Pods whose status is written at once in one round (at least 1).</param>
    public StatusManager(IApiClient api, TimeProvider time, ILogger<StatusManager> logger, TimeSpan syncPeriod,
        TimeSpan pendingStatusHold = default, int maxConcurrentWrites = 1)
    {
        (_api, _time, _logger, _syncPeriod, _pendingStatusHold) = (api, time, logger, syncPeriod, pendingStatusHold);
        _maxConcurrentWrites = Math.Max(1, maxConcurrentWrites);
    }

    /// <summary>
    /// Connects the manager to the pod manager (latest API pod by UID, for reconcile and the deletion check) and to
    /// the pod workers (whether a pod could still have running containers). Called once before <see cref="RunAsync"/>.
    /// </summary>
    public void Bind(Func<string, V1Pod?> podLookup, Func<string, bool> couldHaveRunningContainers)
    {
        _podLookup = podLookup;
        _couldHaveRunningContainers = couldHaveRunningContainers;
    }

    public bool TryGetPodStatus(string podUid, out V1PodStatus status)
    {
        lock (_gate)
        {
            if (_statuses.TryGetValue(podUid, out var cached))
            {
                status = cached.Status;
                return true;
            }
        }

        status = null!;
        return false;
    }

    /// <summary>Caches <paramref name="status"/> as the pod's newest status (a deleting pod always gets a new version).</summary>
    public void SetPodStatus(V1Pod pod, V1PodStatus status) =>
        UpdateStatusInternal(pod, Clone(status), forceUpdate: PodSpecs.IsDeleting(pod), podIsFinished: false);

    /// <summary>
    /// Called when the pod worker finished (SyncTerminatedPod): every container without a terminated state becomes
    /// ContainerStatusUnknown/137, a non-terminal phase becomes Failed, and the pod is marked finished so the final
    /// delete may follow.
    /// </summary>
    public void TerminatePod(V1Pod pod)
    {
        V1PodStatus status;
        lock (_gate)
        {
            status = Clone(_statuses.TryGetValue(PodSpecs.Uid(pod), out var cached) ? cached.Status : pod.Status ?? new V1PodStatus());
        }

        var unknown = HasPodInitialized(pod, status) ? status.ContainerStatuses ?? [] : [];
        foreach (var c in unknown.Concat(status.InitContainerStatuses ?? []).Where(c => c.State?.Terminated is null))
        {
            c.State = new V1ContainerState
            {
                Terminated = new V1ContainerStateTerminated
                {
                    Reason = Runtime.ContainerReasons.ContainerStatusUnknown,
                    Message = ContainerStatusConverter.UnknownAtTerminationMessage,
                    ExitCode = Runtime.ContainerReasons.UnknownExitCode,
                },
            };
            c.Ready = false;
            c.Started = false;
        }

        if (!PodSpecs.IsTerminalPhase(status.Phase))
        {
            status.Phase = PodPhases.Failed;
        }

        UpdateStatusInternal(pod, status, forceUpdate: true, podIsFinished: true);
    }

    /// <summary>
    /// Wakes the write loop without a new status, e.g. when a finished pod got its deletionTimestamp and may now be
    /// deleted (the deletion check runs on every round).
    /// </summary>
    public void RequestSync() => _notify.Set();

    /// <summary>Forgets the pod's status (the pod is gone from the API, or a new pod took its name).</summary>
    public void DeletePodStatus(string podUid)
    {
        lock (_gate)
        {
            _statuses.Remove(podUid);
            _apiVersions.Remove(podUid);
            _written.Remove(podUid);
            _retryAt.Remove(podUid);
        }
    }

    /// <summary>The pods that have a cached status now (housekeeping's snapshot for <see cref="RemoveOrphanedStatuses"/>).</summary>
    public IReadOnlySet<string> CachedPodUids()
    {
        lock (_gate)
        {
            return new HashSet<string>(_statuses.Keys, StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Forgets the statuses of <paramref name="candidateUids"/> that are not in <paramref name="knownUids"/>
    /// (housekeeping). <paramref name="candidateUids"/> must be taken with <see cref="CachedPodUids"/> before
    /// <paramref name="knownUids"/> was read: a pod added meanwhile has a status only after it was known, so it is never
    /// a candidate, and its status is not dropped unwritten (housekeeping runs concurrently with pod additions, where
    /// upstream's sync loop serialises them).
    /// </summary>
    public void RemoveOrphanedStatuses(IReadOnlySet<string> knownUids, IReadOnlySet<string> candidateUids)
    {
        lock (_gate)
        {
            foreach (var uid in candidateUids.Where(uid => !knownUids.Contains(uid) && _statuses.ContainsKey(uid)).ToList())
            {
                _statuses.Remove(uid);
                _apiVersions.Remove(uid);
                _retryAt.Remove(uid);
                _written.Remove(uid);
            }
        }
    }

    // A pod without init containers is initialized; otherwise once a main container left waiting, or the last init
    // container completed with exit 0 (hasPodInitialized).
    private static bool HasPodInitialized(V1Pod pod, V1PodStatus status)
    {
        if (PodSpecs.InitContainers(pod).Count == 0)
        {
            return true;
        }

        if ((status.ContainerStatuses ?? []).Any(c => c.LastState?.Terminated is not null || c.State?.Waiting is null))
        {
            return true;
        }

        var last = status.InitContainerStatuses?.LastOrDefault();
        return last?.State?.Terminated is { ExitCode: 0 } || last?.LastState?.Terminated is { ExitCode: 0 };
    }

    private void UpdateStatusInternal(V1Pod pod, V1PodStatus status, bool forceUpdate, bool podIsFinished)
    {
        var uid = PodSpecs.Uid(pod);
        lock (_gate)
        {
            var isCached = _statuses.TryGetValue(uid, out var cached);
            var old = cached?.Status ?? pod.Status ?? new V1PodStatus();
            if (PodSpecs.IsTerminalPhase(old.Phase) && status.Phase != old.Phase)
            {
                Log.IllegalPhaseTransition(_logger, pod.Metadata?.NamespaceProperty, pod.Metadata?.Name, old.Phase!, status.Phase ?? "");
                (status.Phase, status.Reason, status.Message) = (old.Phase, old.Reason, old.Message);
            }

            SettleTimes(status, old);
            if (isCached && !forceUpdate && PodStatusEquality.IsPodStatusByKubeletEqual(cached!.Status, status))
            {
                return;
            }

            var hold = forceUpdate || podIsFinished ? null : HoldUntil(uid, status, cached);
            _statuses[uid] = new VersionedPodStatus((cached?.Version ?? 0) + 1, pod.Metadata?.Name ?? "",
                pod.Metadata?.NamespaceProperty ?? "", status, podIsFinished || cached?.PodIsFinished == true, hold, QueuedSince(uid, cached));
        }

        _notify.Set();
    }

    // Only a pod's first status is held (nothing of it written yet), only while every container is being created,
    // and never past the deadline of its first held version. Called under the lock.
    private DateTimeOffset? HoldUntil(string uid, V1PodStatus status, VersionedPodStatus? cached)
    {
        if (_pendingStatusHold <= TimeSpan.Zero || _apiVersions.ContainsKey(uid) || !PendingStatuses.IsCreatingContainers(status))
        {
            return null;
        }

        return cached?.HoldUntil ?? _time.GetUtcNow() + _pendingStatusHold;
    }

    // A pod whose cached status is not written yet keeps its place in the write order; otherwise it goes last.
    // Called under the lock.
    private ulong QueuedSince(string uid, VersionedPodStatus? cached) =>
        cached is not null && (!_apiVersions.TryGetValue(uid, out var written) || written < cached.Version) ? cached.Queued : ++_queued;

    // A condition keeps its transition time while its status is unchanged; startTime is set once.
    private void SettleTimes(V1PodStatus status, V1PodStatus old)
    {
        var now = StatusTimes.Truncate(_time.GetUtcNow());
        foreach (var c in status.Conditions ?? [])
        {
            var previous = old.Conditions?.FirstOrDefault(o => o.Type == c.Type);
            c.LastTransitionTime = previous is not null && previous.Status == c.Status ? previous.LastTransitionTime ?? c.LastTransitionTime ?? now : now;
            c.LastProbeTime = null;
        }

        status.StartTime = old.StartTime ?? status.StartTime ?? now;
    }

    private static V1PodStatus Clone(V1PodStatus status) => ApiJson.DeepCopy(status);
}
