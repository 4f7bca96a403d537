namespace Berth.Kubelet;

/// <summary>
/// Outcome of a successful SyncPod. <paramref name="IsTerminal"/>: the pod reached a terminal phase by itself and
/// the worker moves to termination. <paramref name="RetryAfter"/>: resync no later than this (crash-loop back-off ends).
/// <paramref name="StartFailed"/>: a container could not be started (CreateContainerConfigError, RunContainerError…);
/// the worker retries after the sync error back-off, as upstream's SyncPod returns that failure as an error.
/// </summary>
public sealed record PodSyncResult(bool IsTerminal, TimeSpan? RetryAfter = null, bool StartFailed = false)
{
    public static PodSyncResult Running { get; } = new(false);

    public static PodSyncResult Terminal { get; } = new(true);
}
