namespace Berth.Kubelet;

/// <summary>
/// Outcome of a successful SyncPod. <paramref name="IsTerminal"/>: the pod reached a terminal phase by itself and
/// the worker moves to termination. <paramref name="RetryAfter"/>: resync no later than this (crash-loop back-off ends).
/// </summary>
public sealed record PodSyncResult(bool IsTerminal, TimeSpan? RetryAfter = null)
{
    public static PodSyncResult Running { get; } = new(false);

    public static PodSyncResult Terminal { get; } = new(true);
}
