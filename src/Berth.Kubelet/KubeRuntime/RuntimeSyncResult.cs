namespace Berth.Kubelet.KubeRuntime;

/// <summary>
/// What a runtime SyncPod did: the start attempts and, when a container waits in back-off, the earliest moment a
/// resync can start it (the pod worker requeues exactly then instead of upstream's jittered 10 s retry).
/// </summary>
public sealed record RuntimeSyncResult(IReadOnlyList<StartContainerResult> Starts, TimeSpan? RetryAfter)
{
    public static RuntimeSyncResult Empty { get; } = new([], null);
}
