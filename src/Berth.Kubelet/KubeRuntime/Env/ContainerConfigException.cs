namespace Berth.Kubelet.KubeRuntime.Env;

/// <summary>
/// The container's config cannot be generated (no command, a missing ConfigMap/Secret or key, a bad field path).
/// The container stays waiting with reason CreateContainerConfigError and this message; a <c>Failed</c> event shows
/// "Error: &lt;message&gt;". Never carries env or secret values. Mirrors kuberuntime_container.go (ErrCreateContainerConfig).
/// </summary>
public sealed class ContainerConfigException(string message) : Exception(message);
