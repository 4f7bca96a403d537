namespace Berth.Kubelet.Runtime;

/// <summary>
/// Published once per container instance when its main process has ended and its status is final, so the pod
/// worker (PLEG) can resync the pod at once instead of waiting for a relist. Mirrors kubernetes/kubernetes
/// pkg/kubelet/pleg (ContainerDied event).
/// </summary>
public sealed record ContainerExitEvent(ContainerId Id, string PodUid, string ContainerName, int ExitCode,
    string Reason, DateTimeOffset FinishedAt);
