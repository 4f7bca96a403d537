namespace Berth.Kubelet.Runtime.ProcessRuntime;

/// <summary>Settings of <see cref="ProcessContainerRuntime"/>. Defaults equal the kubelet's where one exists.</summary>
public sealed class ProcessRuntimeOptions
{
    /// <summary>Root of the runtime state: <c>pods/&lt;podUid&gt;/containers/&lt;containerId&gt;/</c> live below it.</summary>
    public required string StateDirectory { get; init; }

    /// <summary>Root of the CRI log files, as kubelet's <c>/var/log/pods</c>.</summary>
    public required string LogDirectory { get; init; }

    /// <summary>Rotate a container log before it exceeds this size (kubelet <c>containerLogMaxSize</c>, 10Mi).</summary>
    public long ContainerLogMaxSize { get; init; } = 10 * 1024 * 1024;

    /// <summary>Log files kept per container, the live one included (kubelet <c>containerLogMaxFiles</c>, 5).</summary>
    public int ContainerLogMaxFiles { get; init; } = 5;

    /// <summary>How container process trees are contained; see <see cref="ContainmentMode"/>.</summary>
    public ContainmentMode Containment { get; init; } = ContainmentMode.Auto;

    /// <summary>Whether containers get a private mount namespace for their mounts; see <see cref="Namespaces.MountNamespaceMode"/>.</summary>
    public Namespaces.MountNamespaceMode MountNamespaces { get; init; } = Namespaces.MountNamespaceMode.Auto;

    /// <summary>Which per-container shim to use; see <see cref="ContainerShimKind"/>.</summary>
    public ContainerShimKind Shim { get; init; } = ContainerShimKind.Auto;

    /// <summary>Name of the cgroup (below the cgroup2 root) that holds one child cgroup per container.</summary>
    public string CgroupName { get; init; } = "berth.slice";

    /// <summary>
    /// Whether pods' wildcard and localhost binds move onto the pod IP (<see cref="Network.PodSockets.PodSocketAddresses"/>).
    /// Takes effect only with cgroup containment and where BPF programs can be attached (root).
    /// </summary>
    public bool PodSocketAddresses { get; init; } = true;

    /// <summary>Most bytes kept per stream of an <c>ExecSync</c>; the rest is read and dropped.</summary>
    public int MaxExecOutputBytes { get; init; } = 16 * 1024 * 1024;
}
