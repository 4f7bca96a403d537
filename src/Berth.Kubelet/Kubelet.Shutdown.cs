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

    /// <summary>
    /// Graceful node shutdown (KEP-2000): kills every pod of the node, regular pods first with grace
    /// min(their own, <paramref name="shutdownGracePeriod"/> − the critical share), then critical pods
    /// (priorityClassName system-node-critical / system-cluster-critical) with the critical share
    /// (<see cref="KubeletOptions.ShutdownGracePeriodCriticalPods"/>, at most half of the total). Killed pods are not
    /// deleted: they end Failed with reason Terminated, the node-shutdown message and DisruptionTarget
    /// (TerminationByKubelet); their final status is flushed to the API before this returns. Berth's
    /// <c>berth server</c> calls this on SIGTERM (a SIGKILL leaves pods running for the next start to adopt).
    /// Returns when all pods stopped or the shutdown grace period is used up.
    /// </summary>
    public async Task ShutdownAsync(TimeSpan shutdownGracePeriod, CancellationToken cancellationToken)
    {
        var critical = TimeSpan.FromTicks(Math.Min(_options.ShutdownGracePeriodCriticalPods.Ticks, shutdownGracePeriod.Ticks / 2));
        var regular = shutdownGracePeriod - critical;
        var pods = Pods.All().Where(p => !PodSpecs.IsTerminalPhase(p.Status?.Phase) || PodWorkers.CouldHaveRunningContainers(PodSpecs.Uid(p))).ToList();
        await KillGroupAsync(pods.Where(p => !PodSpecs.IsCriticalPod(p)).ToList(), regular, "regular", cancellationToken).ConfigureAwait(false);
        await KillGroupAsync(pods.Where(PodSpecs.IsCriticalPod).ToList(), critical, "critical", cancellationToken).ConfigureAwait(false);
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
