namespace Berth.Kubelet.KubeRuntime;

/// <summary>
/// Outcome of one start attempt: success, or the waiting reason (CrashLoopBackOff, CreateContainerConfigError,
/// CreateContainerError, RunContainerError, PostStartHookError) and its message for the reason cache.
/// <paramref name="RetryAfter"/> is set for back-off: when the container may be started again.
/// Mirrors kubernetes/kubernetes pkg/kubelet/container/sync_result.go (SyncResult).
/// </summary>
public sealed record StartContainerResult(string ContainerName, string? Reason, string Message, TimeSpan? RetryAfter = null)
{
    public bool Succeeded => Reason is null;

    public static StartContainerResult Success(string containerName) => new(containerName, null, "");
}
