using Berth.Client.Events;
using Berth.Kubelet.Container;
using Berth.Kubelet.Events;
using Berth.Kubelet.Status;
using k8s.Models;

namespace Berth.Kubelet;

public sealed partial class Kubelet
{
    /// <summary>Reason set on pods stopped by a node shutdown (nodeshutdown_manager_linux.go).</summary>
    public const string NodeShutdownReason = "Terminated";

    /// <summary>Message set on pods stopped by a node shutdown.</summary>
    public const string NodeShutdownMessage = "Pod was terminated in response to imminent node shutdown.";

    /// <summary>Reason of the pods rejected while the node shuts down (the node shutdown manager's Admit).</summary>
    public const string NodeShutdownNotAdmittedReason = "NodeShutdown";

    /// <summary>Message of the rejection event; the pod's status message has upstream's "Pod was rejected: " prefix.</summary>
    public const string NodeShutdownNotAdmittedMessage = "Pod was rejected as the node is shutting down.";

    /// <summary>Set once by <see cref="ShutdownAsync"/>: from then on new pods are rejected (<see cref="RejectIfShuttingDown"/>).</summary>
    private volatile bool _shuttingDown;

    /// <summary>
    /// Graceful node shutdown (KEP-2000): kills every pod of the node, regular pods first with grace
    /// min(their own, <paramref name="shutdownGracePeriod"/> − the critical share), then critical pods
    /// (spec.priority at least 2000000000, <see cref="PodSpecs.IsCriticalPod"/>) with the critical share
    /// (<see cref="KubeletOptions.ShutdownGracePeriodCriticalPods"/>, at most half of the total). Killed pods are not
    /// deleted: they end Failed with reason Terminated, the node-shutdown message and DisruptionTarget
    /// (TerminationByKubelet); their final status is flushed to the API before this returns. Berth's
    /// <c>berth server</c> calls this on SIGTERM (a SIGKILL leaves pods running for the next start to adopt).
    /// From the start on, pods the node has not seen yet are rejected (Failed, reason NodeShutdown), so a controller
    /// replacing the killed pods cannot start new ones on this node. When the grace period is used up, whatever still
    /// runs (a pod that ignores SIGTERM beyond the budget, or one admitted while the shutdown began) is killed with
    /// the minimum grace, as the machine's power-off would: once this returns no container of the node runs (the
    /// agent's process is not the machine; its pods would otherwise outlive it unowned). Returns when all pods
    /// stopped, or a few seconds after the shutdown grace period. Idempotent: a second call repeats the sweep.
    /// </summary>
    public async Task ShutdownAsync(TimeSpan shutdownGracePeriod, CancellationToken cancellationToken)
    {
        _shuttingDown = true;
        var critical = TimeSpan.FromTicks(Math.Min(_options.ShutdownGracePeriodCriticalPods.Ticks, shutdownGracePeriod.Ticks / 2));
        var regular = shutdownGracePeriod - critical;
        var pods = Pods.All().Where(p => !PodSpecs.IsTerminalPhase(p.Status?.Phase) || PodWorkers.CouldHaveRunningContainers(PodSpecs.Uid(p))).ToList();
        await KillGroupAsync(pods.Where(p => !PodSpecs.IsCriticalPod(p)).ToList(), regular, "regular", cancellationToken).ConfigureAwait(false);
        await KillGroupAsync(pods.Where(PodSpecs.IsCriticalPod).ToList(), critical, "critical", cancellationToken).ConfigureAwait(false);
        await KillRemainingAsync(cancellationToken).ConfigureAwait(false);
        var deadline = _time.GetUtcNow() + TimeSpan.FromSeconds(2);
        while (pods.Any(p => !PodWorkers.IsPodFinished(PodSpecs.Uid(p))) && _time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken).ConfigureAwait(false);
        }

        await StatusManager.SyncBatchAsync(all: true, cancellationToken).ConfigureAwait(false);
    }

    private async Task KillGroupAsync(List<V1Pod> pods, TimeSpan budget, string kind, CancellationToken cancellationToken)
    {
        if (pods.Count == 0)
        {
            return;
        }

        var seconds = Math.Max(1, (long)budget.TotalSeconds);
        Log.ShutdownGroup(_logger, pods.Count, kind, seconds);
        var done = pods.Select(pod =>
        {
            var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var grace = Math.Min(pod.Spec?.TerminationGracePeriodSeconds ?? 30, seconds);
            PodWorkers.UpdatePod(new UpdatePodOptions(SyncPodType.Kill, pod, null,
                new KillPodOptions(grace, MarkShutdown, completed, Evict: true)));
            _ = ReportExceededGracePeriodAsync(pod, completed.Task, grace, cancellationToken);
            return completed.Task;
        }).ToList();
        try
        {
            // The 2 s stop-signal floor can outlast a short budget; allow it.
            await Task.WhenAll(done).WaitAsync(budget + TimeSpan.FromSeconds(3), _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.ShutdownTimedOut(_logger, done.Count(t => !t.IsCompleted), kind);
        }
    }

    /// <summary>
    /// The end of the shutdown budget: every pod whose worker still syncs (admitted concurrently with the start of the
    /// shutdown) or whose containers still run (over its budget, or an orphan of the runtime) is killed with the
    /// minimum grace. Waits (bounded: the stop-signal floor plus slack) for those kills.
    /// </summary>
    private async Task KillRemainingAsync(CancellationToken cancellationToken)
    {
        var uids = new HashSet<string>(PodWorkers.KnownUids().Where(u => PodWorkers.GetState(u) == PodWorkerState.SyncPod), StringComparer.Ordinal);
        var runtimePods = (await RuntimeManager.GetPodsAsync(cancellationToken).ConfigureAwait(false)).Where(p => p.HasRunning).ToList();
        uids.UnionWith(runtimePods.Select(p => p.PodUid));
        if (uids.Count == 0)
        {
            return;
        }

        Log.ShutdownKillingRemaining(_logger, uids.Count);
        var done = uids.Select(uid =>
        {
            var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var pod = Pods.Get(uid) ?? PodWorkers.GetPod(uid);
            var runtimePod = pod is null ? runtimePods.FirstOrDefault(p => p.PodUid == uid) : null;
            PodWorkers.UpdatePod(new UpdatePodOptions(SyncPodType.Kill, pod, runtimePod, new KillPodOptions(0, MarkShutdown, completed, Evict: true)));
            return completed.Task;
        }).ToList();
        try
        {
            await Task.WhenAll(done).WaitAsync(TimeSpan.FromSeconds(5), _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.ShutdownTimedOut(_logger, done.Count(t => !t.IsCompleted), "remaining");
        }
    }

    /// <summary>
    /// The node shutdown manager's admission (Admit): while the node shuts down, a pod it has no worker for is not
    /// started but ends Failed with reason <c>NodeShutdown</c> and a Warning event (rejectPod). Called for every pod
    /// upsert; returns true when the pod was rejected (the caller must not start it).
    /// </summary>
    internal bool RejectIfShuttingDown(V1Pod pod)
    {
        var uid = PodSpecs.Uid(pod);
        if (!_shuttingDown || PodWorkers.GetState(uid) is not null || PodSpecs.IsTerminalPhase(pod.Status?.Phase) || PodSpecs.IsDeleting(pod))
        {
            return false;
        }

        Log.ShutdownRejected(_logger, uid);
        _recorder.PodEvent(pod, EventTypes.Warning, NodeShutdownNotAdmittedReason, NodeShutdownNotAdmittedMessage);
        Pods.Set(pod);
        PodWorkers.UpdatePod(new UpdatePodOptions(SyncPodType.Kill, pod, null, new KillPodOptions(0, MarkRejected)));
        StatusManager.RequestSync();
        return true;
    }

    private static void MarkRejected(V1PodStatus status)
    {
        status.Phase = PodPhases.Failed;
        status.Reason = NodeShutdownNotAdmittedReason;
        status.Message = "Pod was rejected: " + NodeShutdownNotAdmittedMessage;
    }

    /// <summary>
    /// killPodNow's watchdog: a kubelet-initiated kill still unfinished after max(grace + grace/2, 10) whole seconds
    /// gets a Warning <c>ExceededGracePeriod</c> event on the pod (upstream emits it only for such kills, never for
    /// API deletes). Runs in the background; cancellation ends it silently.
    /// </summary>
    private async Task ReportExceededGracePeriodAsync(V1Pod pod, Task completed, long grace, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(Math.Max(grace + grace / 2, 10));
        try
        {
            await completed.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _recorder.PodEvent(pod, EventTypes.Warning, EventReasons.ExceededGracePeriod,
                "Container runtime did not kill the pod within specified grace period.");
        }
        catch (OperationCanceledException)
        {
            // The agent is stopping: nobody is left to report to.
        }
    }

    private static void MarkShutdown(V1PodStatus status)
    {
        status.Phase = PodPhases.Failed;
        status.Reason = NodeShutdownReason;
        status.Message = NodeShutdownMessage;
        status.Conditions ??= [];
        var existing = status.Conditions.FirstOrDefault(c => c.Type == PodConditions.DisruptionTarget);
        if (existing is null)
        {
            status.Conditions.Add(PodConditions.Condition(PodConditions.DisruptionTarget, true, "TerminationByKubelet", NodeShutdownMessage));
        }
    }
}
