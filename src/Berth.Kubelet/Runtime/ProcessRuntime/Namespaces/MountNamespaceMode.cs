namespace Berth.Kubelet.Runtime.ProcessRuntime.Namespaces;

/// <summary>Whether containers get a private mount namespace (see <see cref="MountNamespaceSupport"/>).</summary>
public enum MountNamespaceMode
{
    /// <summary>Use one when the agent has CAP_SYS_ADMIN and the tools (unshare, nsenter, mount, chroot) exist.</summary>
    Auto,

    /// <summary>Never: containers see the host's file system; containers that need a mount cannot start.</summary>
    Disabled,
}
