namespace Berth.Kubelet.Runtime;

/// <summary>
/// Terminated-state reasons as runtimes report them and kubectl prints them. Mirrors containerd
/// internal/cri/server/helpers.go and kubernetes/kubernetes pkg/kubelet/container/runtime.go.
/// </summary>
public static class ContainerReasons
{
    /// <summary>Exit code 0.</summary>
    public const string Completed = "Completed";

    /// <summary>Any non-zero exit, signal deaths included (143 for SIGTERM, 137 for SIGKILL).</summary>
    public const string Error = "Error";

    /// <summary>Killed by the kernel OOM killer inside the container's cgroup memory limit (exit 137).</summary>
    public const string OOMKilled = "OOMKilled";

    /// <summary>The process could not be started (exit code 128).</summary>
    public const string StartError = "StartError";

    /// <summary>The runtime lost track of the container, e.g. no exit record after an agent restart (exit 137).</summary>
    public const string ContainerStatusUnknown = "ContainerStatusUnknown";

    /// <summary>Exit code for <see cref="StartError"/>.</summary>
    public const int StartErrorExitCode = 128;

    /// <summary>Exit code for <see cref="ContainerStatusUnknown"/>.</summary>
    public const int UnknownExitCode = 137;

    /// <summary>The reason for a plain exit: Completed for 0, Error otherwise.</summary>
    public static string ForExitCode(int exitCode) => exitCode == 0 ? Completed : Error;
}
