namespace Berth.Kubelet.Runtime;

/// <summary>
/// StartContainer failed (executable missing, not executable, spawn error). The container is already Exited with
/// reason <see cref="Reason"/>; the kubelet turns this into a <c>Failed</c> event and a waiting reason. The message
/// names the executable but never env values. Mirrors kubernetes/kubernetes pkg/kubelet/container (ErrRunContainer).
/// </summary>
public sealed class ContainerStartException(ContainerId id, string message)
    : Exception(message)
{
    public ContainerId Id { get; } = id;

    /// <summary>Always <see cref="ContainerReasons.StartError"/>.</summary>
    public string Reason => ContainerReasons.StartError;
}
