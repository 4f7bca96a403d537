using Berth.Kubelet.Runtime.ProcessRuntime.Namespaces;

namespace Berth.Kubelet.Runtime;

/// <summary>
/// Which containers cannot run without a private mount namespace, and whether a runtime offers one. Pure; used by
/// the kubelet (CreateContainerConfigError before create) and the runtime (StartError as a last line of defence).
/// </summary>
public static class MountRequirements
{
    /// <summary>
    /// True when some mount shows a host path at another path, or must be read-only: only a mount namespace can do
    /// that. A mount of a host path at the same path (hostPath at its own path) is visible without one.
    /// </summary>
    public static bool NeedsMountNamespace(ContainerConfig config) =>
        config.Mounts.Any(m => m.ReadOnly || MountPlan.Normalize(m.ContainerPath) != MountPlan.Normalize(m.HostPath));

    /// <summary>
    /// False only for a runtime that says it has no mount namespaces (<see cref="IMountNamespaceCapability"/>); any
    /// other runtime (fakes, remote runtimes) is trusted to apply mounts.
    /// </summary>
    public static bool CanMount(IContainerRuntime runtime) =>
        runtime is not IMountNamespaceCapability { SupportsMountNamespaces: false };
}
