using System.Collections.Concurrent;
using Berth.Kubelet;
using Berth.Kubelet.Container;
using k8s.Models;

namespace Berth.UnitTests.Kubelet.TestSupport;

/// <summary>An <see cref="IPodSyncer"/> that records calls and lets a test decide what each one does.</summary>
internal sealed class RecordingPodSyncer : IPodSyncer
{
    private readonly ConcurrentQueue<string> _calls = new();

    public IReadOnlyList<string> Calls => [.. _calls];

    public Func<V1Pod, CancellationToken, Task<PodSyncResult>> OnSyncPod { get; set; } = (_, _) => Task.FromResult(PodSyncResult.Running);

    public Func<V1Pod, GracePeriodOverride, CancellationToken, Task> OnTerminating { get; set; } = (_, _, _) => Task.CompletedTask;

    public Func<V1Pod, Task> OnTerminated { get; set; } = _ => Task.CompletedTask;

    public GracePeriodOverride? LastGrace { get; private set; }

    public Action<V1PodStatus>? LastStatusFunc { get; private set; }

    public V1Pod? LastSyncedPod { get; private set; }

    public int Count(string prefix) => Calls.Count(c => c.StartsWith(prefix, StringComparison.Ordinal));

    public Task<PodSyncResult> SyncPodAsync(SyncPodType updateType, V1Pod pod, CancellationToken cancellationToken)
    {
        _calls.Enqueue($"SyncPod:{updateType}");
        LastSyncedPod = pod;
        return OnSyncPod(pod, cancellationToken);
    }

    public Task SyncTerminatingPodAsync(V1Pod pod, GracePeriodOverride gracePeriod, Action<V1PodStatus>? podStatusFunc, CancellationToken cancellationToken)
    {
        _calls.Enqueue($"Terminating:{gracePeriod.Seconds}");
        (LastGrace, LastStatusFunc) = (gracePeriod, podStatusFunc);
        return OnTerminating(pod, gracePeriod, cancellationToken);
    }

    public Task SyncTerminatingRuntimePodAsync(PodRuntimeStatus runningPod, CancellationToken cancellationToken)
    {
        _calls.Enqueue("RuntimePod");
        return Task.CompletedTask;
    }

    public Task SyncTerminatedPodAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        _calls.Enqueue("Terminated");
        return OnTerminated(pod);
    }
}
