namespace Berth.Kubelet.Status;

/// <summary>
/// Waiting reasons a container status can show. Mirrors kubernetes/kubernetes pkg/kubelet/container/sync_result.go,
/// pkg/kubelet/kuberuntime/kuberuntime_container.go (ErrCreateContainerConfig …) and kubelet_pods.go.
/// </summary>
public static class ContainerWaitingReasons
{
    public const string ContainerCreating = "ContainerCreating";
    public const string PodInitializing = "PodInitializing";
    public const string CrashLoopBackOff = "CrashLoopBackOff";
    public const string CreateContainerConfigError = "CreateContainerConfigError";
    public const string CreateContainerError = "CreateContainerError";
    public const string RunContainerError = "RunContainerError";
    public const string PostStartHookError = "PostStartHookError";
}
