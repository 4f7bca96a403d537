namespace Berth.Kubelet.Runtime.ProcessRuntime;

/// <summary>
/// The native per-container shim, <c>berth-shim</c> (src/Berth.Kubelet/Native/berth-shim.c, compiled by the build
/// next to the application). Same protocol as the sh <see cref="ContainerShim"/> (FIFOs kept open read-write, main
/// PID on fd 3, exit file, cgroup.kill after the main process, <c>start-error</c> plus exit 125 on a failed start),
/// but one fork and the container's own exec instead of ~14 execs: the parent supervises, the child calls setsid(),
/// joins the cgroup, builds the mount view itself (unshare + mount(2), the same plan as <see cref="Namespaces.MountScript"/>)
/// and execs the command.
/// </summary>
/// <remarks>
/// argv: the binary, the container directory (a plain element, so leftover shims can be found by their command
/// line), the cgroup directory or empty, the working directory, the phase (empty: no mount namespace; <c>ns</c>:
/// mount in place; <c>root</c>: tmpfs root mirror first), the mount plan (<see cref="Namespaces.MountPlan.Render"/>,
/// an argument rather than the <c>mounts</c> file the sh shim reads: one inode less per start; empty without a
/// namespace), the directory the shadow tmpfs is mounted on inside the private namespace (one agent-wide directory
/// for every container, <see cref="ShadowDirectory"/>), the stdio mode (<see cref="StdioMode"/>), then the container
/// argv. Stateless; thread-safe.
/// </remarks>
internal static class NativeShim
{
    public const string FileName = "berth-shim";

    /// <summary>The agent-wide shadow mount point below the runtime's state directory (created once, never written to).</summary>
    public static string ShadowDirectory(string stateDirectory) => Path.Combine(stateDirectory, "shadow");

    /// <summary>The binary next to the application (<see cref="AppContext.BaseDirectory"/>), or null when it was not built.</summary>
    public static string? Locate()
    {
        var path = Path.Combine(AppContext.BaseDirectory, FileName);
        return !OperatingSystem.IsWindows() && File.Exists(path)
            && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0 ? path : null;
    }

    /// <summary>
    /// The shim's STDIO argument: empty (stdin is /dev/null), <c>i</c> (stdin is the container directory's
    /// stdin.fifo), <c>t</c> (a pseudo-terminal), or both letters.
    /// </summary>
    public static string StdioMode(ContainerConfig config) => (config.Stdin ? "i" : "") + (config.Tty ? "t" : "");

    /// <summary>argv for posix_spawn of the native shim; <paramref name="phase"/> and <paramref name="plan"/> are empty without a mount namespace.</summary>
    public static IReadOnlyList<string> BuildArgv(string shim, string containerDirectory, string? cgroup,
        string workingDirectory, string phase, string plan, string shadow, string stdio, IReadOnlyList<string> command) =>
        [shim, containerDirectory, cgroup ?? "", workingDirectory, phase, plan, shadow, stdio, .. command];
}
