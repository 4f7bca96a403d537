namespace Berth.Kubelet.Runtime;

/// <summary>
/// Implemented by runtimes that may or may not be able to give containers a private mount namespace (the process
/// runtime needs CAP_SYS_ADMIN). Decided once at construction; thread-safe.
/// </summary>
public interface IMountNamespaceCapability
{
    /// <summary>True when containers get their volumeMounts at mountPath, their resolv.conf and termination-log file.</summary>
    bool SupportsMountNamespaces { get; }

    /// <summary>Why mount namespaces are used or not (for logs and the CreateContainerConfigError message).</summary>
    string MountNamespaceReason { get; }
}
