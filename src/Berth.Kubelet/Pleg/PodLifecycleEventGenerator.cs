using Berth.Kubelet.Runtime;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Pleg;

/// <summary>
/// Turns runtime changes into pod events so pod workers react at once: every container exit the runtime announces
/// (<see cref="IContainerRuntime.WatchContainerExitsAsync"/>) becomes ContainerDied immediately, and a relist every
/// <see cref="KubeletOptions.RelistPeriod"/> diffs the runtime's containers against the previous listing to catch
/// anything else (starts, removals, exits missed while not watching). Events go to <see cref="Handler"/>.
/// Mirrors kubernetes/kubernetes pkg/kubelet/pleg/generic.go (relist) and evented.go (event stream).
/// </summary>
/// <remarks><see cref="RunAsync"/> is the single loop; the handler is invoked from it and must not block.</remarks>
public sealed partial class PodLifecycleEventGenerator(IContainerRuntime runtime, TimeProvider time, TimeSpan relistPeriod,
    ILogger<PodLifecycleEventGenerator> logger)
{
    private readonly Dictionary<ContainerId, (string PodUid, ContainerState State)> _previous = [];

    /// <summary>Receives every event. Set before <see cref="RunAsync"/>.</summary>
    public Action<PodLifecycleEvent> Handler { get; set; } = static _ => { };

    /// <summary>Watches exits and relists until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var watch = WatchExitsAsync(cancellationToken);
        try
        {
            await RelistAsync(cancellationToken).ConfigureAwait(false);
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(relistPeriod, time, cancellationToken).ConfigureAwait(false);
                await RelistAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }

        await watch.ConfigureAwait(false);
    }

    /// <summary>One relist: emits an event for every container whose state differs from the last listing.</summary>
    public async Task RelistAsync(CancellationToken cancellationToken)
    {
        var containers = await runtime.ListContainersAsync(cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<ContainerId>();
        foreach (var c in containers)
        {
            seen.Add(c.Id);
            var known = _previous.TryGetValue(c.Id, out var before);
            if (known && before.State == c.State)
            {
                continue;
            }

            _previous[c.Id] = (c.PodUid, c.State);
            Emit(new PodLifecycleEvent(c.PodUid, c.State switch
            {
                ContainerState.Running => PodLifecycleEventType.ContainerStarted,
                ContainerState.Exited => PodLifecycleEventType.ContainerDied,
                _ => PodLifecycleEventType.ContainerChanged,
            }, c.Id));
        }

        foreach (var (gone, (uid, _)) in _previous.Where(p => !seen.Contains(p.Key)).ToList())
        {
            _previous.Remove(gone);
            Emit(new PodLifecycleEvent(uid, PodLifecycleEventType.ContainerRemoved, gone));
        }
    }

    private async Task WatchExitsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var exit in runtime.WatchContainerExitsAsync(cancellationToken).ConfigureAwait(false))
            {
                Emit(new PodLifecycleEvent(exit.PodUid, PodLifecycleEventType.ContainerDied, exit.Id));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private void Emit(PodLifecycleEvent e)
    {
        try
        {
            Handler(e);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            Log.HandlerFailed(logger, e.PodUid, e.Type.ToString(), ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5708, Level = LogLevel.Warning, Message = "Handling the {EventType} event of pod {PodUid} failed")]
        public static partial void HandlerFailed(ILogger logger, string podUid, string eventType, Exception exception);
    }
}
