using Berth.Kubelet.Runtime;
using k8s.Models;

namespace Berth.Kubelet.Lifecycle;

/// <summary>
/// Runs a postStart or preStop handler of one container. Mirrors kubernetes/kubernetes pkg/kubelet/lifecycle/handlers.go
/// (HandlerRunner).
/// </summary>
public interface IHandlerRunner
{
    /// <summary>
    /// Runs <paramref name="handler"/> and returns null on success or a failure description for logs (never for
    /// events: it may name commands and URLs, but never contains hook output). Imposes no timeout of its own: the
    /// caller races it against the grace period and cancels <paramref name="cancellationToken"/> when the container
    /// is gone (a sleep handler then fails with "container terminated before sleep hook finished").
    /// Thread-safe; handlers of different containers run concurrently.
    /// </summary>
    /// <param name="podIP">The pod's IP, the default host of an httpGet handler; null when the pod has none.</param>
    Task<string?> RunAsync(ContainerId containerId, V1Pod pod, V1Container container, V1LifecycleHandler handler,
        string? podIP, CancellationToken cancellationToken);
}
