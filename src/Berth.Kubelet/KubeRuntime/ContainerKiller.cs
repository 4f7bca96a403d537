using Berth.Client.Events;
using Berth.Kubelet.Events;
using Berth.Kubelet.Lifecycle;
using Berth.Kubelet.Runtime;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.KubeRuntime;

/// <summary>
/// Kills one container with upstream's arithmetic: grace from the override, else deletionGracePeriodSeconds, else the
/// probe's terminationGracePeriodSeconds for probe kills, else the pod's, else 2; <c>Killing</c> event first; the
/// preStop hook races the grace and the whole seconds it used are subtracted (a hook still running at the deadline
/// is abandoned, not cancelled, and its later failure is not reported); sidecars then wait for their turn, again
/// bounded by what is left; the remainder is floored at 2 s and handed to the runtime's StopContainer (stop signal,
/// SIGKILL at the deadline). When the pod kill's grace shortens meanwhile, every deadline is re-derived from the new
/// grace at once: the hook race and sidecar wait end earlier, and a stop in progress is re-issued with the earlier
/// SIGKILL deadline (runtime: "the earlier deadline wins"). All waits use the injected <see cref="TimeProvider"/>.
/// Mirrors kubernetes/kubernetes pkg/kubelet/kuberuntime/kuberuntime_container.go (killContainer, executePreStopHook,
/// setTerminationGracePeriod).
/// </summary>
/// <remarks>Thread-safe and stateless; kills of different containers run concurrently.</remarks>
public sealed partial class ContainerKiller(IContainerRuntime runtime, IHandlerRunner handlers, IEventRecorder recorder,
    TimeProvider time, ILogger<ContainerKiller> logger)
{
    /// <summary>"A minimal shutdown window for avoiding unnecessary SIGKILLs" (minimumGracePeriodInSeconds).</summary>
    public const long MinimumGracePeriodSeconds = 2;

    /// <summary>
    /// Runs the kill sequence and returns once the container has exited. Throws when the runtime's stop fails; a
    /// container the runtime does not know counts as stopped. Cancellation abandons the wait (no SIGKILL).
    /// </summary>
    public async Task KillContainerAsync(KillContainerRequest request, CancellationToken cancellationToken)
    {
        var spec = request.Spec;
        var grace = new KillGrace(request.GracePeriod, SetTerminationGracePeriod(request.Pod, spec, request.Reason));
        var message = string.IsNullOrEmpty(request.Message) ? $"Stopping container {spec.Name}" : request.Message;
        recorder.ContainerEvent(request.Pod, spec.Name, EventTypes.Normal, EventReasons.KillingContainer, message);
        var start = time.GetUtcNow();
        long used = 0;
        using var hookCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (spec.Lifecycle?.PreStop is { } preStop && grace.Seconds > 0)
        {
            var hookEnd = await ExecutePreStopHookAsync(request, preStop, start, grace, hookCts.Token, cancellationToken).ConfigureAwait(false);
            used = WholeSeconds(hookEnd - start);
        }

        if (request.Ordering is { } ordering && grace.Seconds - used > 0)
        {
            var waitStart = time.GetUtcNow();
            var waited = used;
            var turnEnd = await RaceAsync(ordering.WhenTurnAsync(spec.Name), () => waitStart + TimeSpan.FromSeconds(grace.Seconds - waited),
                grace, cancellationToken).ConfigureAwait(false);
            used += WholeSeconds(turnEnd - waitStart);
        }

        await StopAsync(request, grace, used, cancellationToken).ConfigureAwait(false);
        await hookCts.CancelAsync().ConfigureAwait(false);
        request.Ordering?.ContainerTerminated(spec.Name);
    }

    /// <summary>The grace of a kill without override (setTerminationGracePeriod).</summary>
    public static long SetTerminationGracePeriod(V1Pod pod, V1Container spec, KillReason reason)
    {
        if (pod.Metadata?.DeletionGracePeriodSeconds is { } deletion)
        {
            return deletion;
        }

        if (pod.Spec?.TerminationGracePeriodSeconds is not { } podGrace)
        {
            return MinimumGracePeriodSeconds;
        }

        return reason switch
        {
            KillReason.LivenessProbe when spec.LivenessProbe?.TerminationGracePeriodSeconds is { } probe => probe,
            KillReason.StartupProbe when spec.StartupProbe?.TerminationGracePeriodSeconds is { } probe => probe,
            _ => podGrace,
        };
    }

    private async Task<DateTimeOffset> ExecutePreStopHookAsync(KillContainerRequest request, V1LifecycleHandler preStop,
        DateTimeOffset start, KillGrace grace, CancellationToken hookToken, CancellationToken cancellationToken)
    {
        var pod = request.Pod;
        var name = request.Spec.Name;
        Log.RunningPreStop(logger, pod.Metadata?.NamespaceProperty, pod.Metadata?.Name, name, grace.Seconds);
        var hook = handlers.RunAsync(request.ContainerId, pod, request.Spec, preStop, request.PodIP, hookToken);
        var end = await RaceAsync(hook, () => start + TimeSpan.FromSeconds(grace.Seconds), grace, cancellationToken).ConfigureAwait(false);
        if (!hook.IsCompleted)
        {
            Log.PreStopNotCompleted(logger, pod.Metadata?.NamespaceProperty, pod.Metadata?.Name, name);
            _ = hook.ContinueWith(t => Log.PreStopAbandonedResult(logger, name, t.IsCompletedSuccessfully && t.Result is null),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return end;
        }

        if (await hook.ConfigureAwait(false) is { } failure)
        {
            Log.PreStopFailed(logger, pod.Metadata?.NamespaceProperty, pod.Metadata?.Name, name, failure);
            recorder.ContainerEvent(pod, name, EventTypes.Warning, EventReasons.FailedPreStopHook, "PreStopHook failed");
        }

        return end;
    }

    private async Task StopAsync(KillContainerRequest request, KillGrace grace, long used, CancellationToken cancellationToken)
    {
        var stopAt = time.GetUtcNow();
        DateTimeOffset Deadline() => stopAt + TimeSpan.FromSeconds(Math.Max(grace.Seconds - used, MinimumGracePeriodSeconds));
        var deadline = Deadline();
        Log.Stopping(logger, request.Pod.Metadata?.NamespaceProperty, request.Pod.Metadata?.Name, request.Spec.Name,
            request.ContainerId.Value, deadline - stopAt);
        var stops = new List<Task> { Stop(request, deadline, cancellationToken) };
        while (true)
        {
            var shortened = grace.Shortened;
            var shorter = Deadline();
            if (shorter < deadline)
            {
                deadline = shorter;
                Log.StopShortened(logger, request.Pod.Metadata?.Name, request.Spec.Name, deadline - stopAt);
                stops.Add(Stop(request, deadline, cancellationToken));
            }

            var winner = await Task.WhenAny([.. stops, shortened]).ConfigureAwait(false);
            if (winner != shortened)
            {
                await Task.WhenAll(stops).ConfigureAwait(false);
                return;
            }
        }
    }

    private Task Stop(KillContainerRequest request, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var remaining = deadline - time.GetUtcNow();
        return runtime.StopContainerAsync(request.ContainerId, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero,
            request.StopSignal, cancellationToken);
    }

    /// <summary>
    /// Waits for <paramref name="work"/> or the deadline, re-reading the deadline whenever the grace shortens; returns
    /// the moment the wait ended (the work's completion time, captured synchronously, or the deadline).
    /// </summary>
    private async Task<DateTimeOffset> RaceAsync(Task work, Func<DateTimeOffset> deadline, KillGrace grace, CancellationToken cancellationToken)
    {
        var completedAt = work.ContinueWith(_ => time.GetUtcNow(), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        while (true)
        {
            var shortened = grace.Shortened;
            var end = deadline();
            var remaining = end - time.GetUtcNow();
            if (completedAt.IsCompleted)
            {
                return await completedAt.ConfigureAwait(false);
            }

            if (remaining <= TimeSpan.Zero)
            {
                return time.GetUtcNow() < end ? time.GetUtcNow() : end;
            }

            using var delayCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(remaining, time, delayCts.Token);
            var winner = await Task.WhenAny(completedAt, delay, shortened).ConfigureAwait(false);
            await delayCts.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (winner == completedAt)
            {
                return await completedAt.ConfigureAwait(false);
            }

            if (winner == delay)
            {
                return end;
            }
        }
    }

    private static long WholeSeconds(TimeSpan elapsed) => elapsed <= TimeSpan.Zero ? 0 : (long)Math.Floor(elapsed.TotalSeconds);

    /// <summary>The kill's grace: the shared override when there is one, else a fixed value.</summary>
    private sealed class KillGrace(GracePeriodOverride? shared, long fixedSeconds)
    {
        private static readonly Task Never = new TaskCompletionSource().Task;

        public long Seconds => shared?.Seconds ?? fixedSeconds;

        public Task Shortened => shared?.Shortened ?? Never;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5301, Level = LogLevel.Debug, Message = "Running preStop hook of container {Container} in pod {Namespace}/{Pod}, grace {GracePeriod}s")]
        public static partial void RunningPreStop(ILogger logger, string? @namespace, string? pod, string container, long gracePeriod);

        [LoggerMessage(EventId = 5302, Level = LogLevel.Information, Message = "PreStop hook of container {Container} in pod {Namespace}/{Pod} not completed in the grace period")]
        public static partial void PreStopNotCompleted(ILogger logger, string? @namespace, string? pod, string container);

        [LoggerMessage(EventId = 5303, Level = LogLevel.Warning, Message = "PreStop hook of container {Container} in pod {Namespace}/{Pod} failed: {Failure}")]
        public static partial void PreStopFailed(ILogger logger, string? @namespace, string? pod, string container, string failure);

        [LoggerMessage(EventId = 5304, Level = LogLevel.Debug, Message = "Abandoned preStop hook of container {Container} finished later (succeeded: {Succeeded})")]
        public static partial void PreStopAbandonedResult(ILogger logger, string container, bool succeeded);

        [LoggerMessage(EventId = 5305, Level = LogLevel.Information, Message = "Killing container {Container} ({ContainerId}) of pod {Namespace}/{Pod} with a grace period of {GracePeriod}")]
        public static partial void Stopping(ILogger logger, string? @namespace, string? pod, string container, string containerId, TimeSpan gracePeriod);

        [LoggerMessage(EventId = 5306, Level = LogLevel.Information, Message = "Grace period of pod {Pod} shortened during the kill: container {Container} is now killed {GracePeriod} after its stop signal")]
        public static partial void StopShortened(ILogger logger, string? pod, string container, TimeSpan gracePeriod);
    }
}
