using Berth.Kubelet.Runtime.ProcessRuntime.Namespaces;

namespace Berth.Kubelet.Runtime.ProcessRuntime;

/// <summary>
/// Mount namespaces. Design: one private mount namespace per <em>container</em>, created by the shim's child: the
/// native shim calls unshare(CLONE_NEWNS) and mount(2) itself; the sh shim execs (in place)
/// <c>unshare --mount --propagation private</c> running <see cref="MountScript"/>. Both end by exec'ing the command
/// and apply the same plan (the <c>mounts</c> file). Chosen over a per-pod holder process because (1) each container of a pod has its own
/// volumeMounts (two containers may mount different volumes at the same path), exactly as upstream runtimes give
/// each container its own mount namespace; (2) the recorded main PID, the stop signal, the cgroup, the shim's
/// <c>wait</c> and adoption after an agent restart are untouched (no extra process to track, nothing to adopt: the
/// namespace lives as long as the container's processes); (3) <c>kubectl exec</c>, exec probes and exec hooks
/// enter it with <c>nsenter --mount=/proc/&lt;main pid&gt;/ns/mnt</c>.
/// </summary>
public sealed partial class ProcessContainerRuntime
{
    /// <summary>Upper bound of a termination message (kubelet MaxContainerTerminationMessageLength, 4096).</summary>
    internal const int MaxTerminationMessageLength = 4096;

    public bool SupportsMountNamespaces => _mountNamespaces is not null;

    public string MountNamespaceReason { get; }

    /// <summary>
    /// Decides whether this start uses a mount namespace and writes what the shim needs (<c>mounts</c> for the sh shim, the
    /// termination-log file, the
    /// <c>rootfs</c>/<c>shadow</c> mount points when the plan may use them). Returns null without a namespace; <paramref name="failure"/> is set when the container
    /// needs one that this agent cannot create.
    /// </summary>
    private MountPlan? PrepareMounts(ContainerRecord record, out string? failure)
    {
        failure = null;
        var config = record.State.Config;
        if (_mountNamespaces is null)
        {
            if (MountRequirements.NeedsMountNamespace(config))
            {
                failure = $"volume mounts need a private mount namespace, which this agent cannot create ({MountNamespaceReason})";
            }
            return null;
        }
        if (config.Mounts.Count == 0 && string.IsNullOrEmpty(config.TerminationMessagePath))
        {
            return null;
        }
        string? terminationLog = null;
        if (!string.IsNullOrEmpty(config.TerminationMessagePath))
        {
            terminationLog = record.Paths.TerminationLog;
            File.WriteAllBytes(terminationLog, []);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(terminationLog, (UnixFileMode)Convert.ToInt32("666", 8));
            }
        }
        var plan = MountPlan.For(config, terminationLog);
        if (_nativeShim is null)
        {
            File.WriteAllText(record.Paths.MountsFile, plan.Render()); // the native shim takes the plan as an argument
        }
        // Mount points for the shim, created only when the plan can use them (each is an inode on every start).
        if (plan.NeedsRoot)
        {
            Directory.CreateDirectory(Path.Combine(record.Paths.Directory, "rootfs"));
        }
        if (plan.MayShadow && _nativeShim is null)
        {
            // The sh shim's script mounts its shadow tmpfs here; the native shim uses the agent-wide directory.
            Directory.CreateDirectory(Path.Combine(record.Paths.Directory, "shadow"));
        }
        lock (record.Gate)
        {
            // Saved with the shim's PID (SpawnShimAsync), before any process can run in the namespace.
            record.State.MountNamespace = true;
        }
        return plan;
    }

    private (string Unshare, string Script, string Phase)? ShimMounts(MountPlan? plan) =>
        plan is null || _mountNamespaces is null || _mountScript is null
            ? null
            : (_mountNamespaces.Unshare, _mountScript, ShimPhase(plan));

    // Both shims take the same phase: root (tmpfs root mirror first), ns (mount in place); empty for no namespace.
    private static string ShimPhase(MountPlan? plan) => plan is null ? "" : plan.NeedsRoot ? "root" : "ns";

    /// <summary>
    /// The program and argv that start this container: the native shim when chosen, else sh with the script. Only the
    /// native shim gives a container stdin or a terminal; under the sh shim it reads /dev/null and writes the FIFOs.
    /// </summary>
    private (string Program, IReadOnlyList<string> Argv) ShimCommand(ContainerRecord record, string? cgroup,
        string workingDirectory, MountPlan? plan) =>
        _nativeShim is { } native
            ? (native, NativeShim.BuildArgv(native, record.Paths.Directory, cgroup, workingDirectory, ShimPhase(plan), plan?.Render() ?? "",
                NativeShim.ShadowDirectory(_options.StateDirectory), NativeShim.StdioMode(record.State.Config), record.State.Config.Argv))
            : (ContainerShim.Shell, ContainerShim.BuildArgv(record.Paths.Directory, cgroup, workingDirectory, _hasSetsid,
                ShimMounts(plan), record.State.Config.Argv));

    /// <summary>The one-line reason the mount script left before it reported the PID, if any.</summary>
    private static string? ReadStartError(ContainerPaths paths)
    {
        try
        {
            var text = File.ReadAllText(paths.StartErrorFile).Trim();
            return text.Length > 0 ? text : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The argv prefix that runs a command in the container's mount view: nsenter into the main process's mount
    /// namespace, then cd to the working directory. Empty when the container has no namespace.
    /// </summary>
    private string NamespacePathOf(ContainerRecord record, int pid) =>
        record.State.MountNamespace && _mountNamespaces is not null && pid > 0 ? $"/proc/{pid}/ns/mnt" : "";
}
