namespace Berth.Kubelet.Runtime.ProcessRuntime;

/// <summary>
/// Files in one container's state directory, <c>&lt;state&gt;/pods/&lt;podUid&gt;/&lt;id&gt;/</c>. Agents before
/// session 6 used <c>&lt;state&gt;/pods/&lt;podUid&gt;/containers/&lt;id&gt;/</c> (one directory more per pod, an inode
/// on every pod start); both are adopted after a restart, new containers use the short form.
/// </summary>
internal sealed record ContainerPaths(string Directory)
{
    /// <summary>The directory level of the earlier layout between the pod's directory and its containers.</summary>
    public const string LegacyContainersDirectory = "containers";

    /// <summary>The persisted <see cref="ContainerStateFile"/> (written by the agent; a kill leaves the old or the new content).</summary>
    public string StateFile => Path.Combine(Directory, "state.json");

    /// <summary>Exit code written by the shim once the main process ended (survives agent death).</summary>
    public string ExitFile => Path.Combine(Directory, "exit");

    /// <summary>The per-container file bind-mounted at terminationMessagePath (mode 0666, read at exit).</summary>
    public string TerminationLog => Path.Combine(Directory, "termination-log");

    /// <summary>The mount plan the sh shim's mount script applies (<see cref="Namespaces.MountPlan.Render"/>; the native shim gets it as an argument).</summary>
    public string MountsFile => Path.Combine(Directory, "mounts");

    /// <summary>Written by the mount script when it cannot build the container's mount view.</summary>
    public string StartErrorFile => Path.Combine(Directory, "start-error");

    public string StdoutFifo => Path.Combine(Directory, "stdout.fifo");

    public string StderrFifo => Path.Combine(Directory, "stderr.fifo");

    /// <summary>The container's stdin (config Stdin): the native shim holds it read-write, attach sessions write to it.</summary>
    public string StdinFifo => Path.Combine(Directory, "stdin.fifo");

    /// <summary>Commands to the native shim of a container with stdin or a tty (<c>close-stdin</c>, <c>resize COLS ROWS</c>).</summary>
    public string ControlFifo => Path.Combine(Directory, "control.fifo");

    public static ContainerPaths For(string stateRoot, string podUid, string containerId) =>
        new(Path.Combine(stateRoot, "pods", podUid, containerId));

    /// <summary>True for a directory of the earlier layout (<c>…/&lt;podUid&gt;/containers/&lt;id&gt;</c>).</summary>
    public bool IsLegacy => Path.GetFileName(Path.GetDirectoryName(Directory)) == LegacyContainersDirectory;

    /// <summary>The pod's directory (for either layout).</summary>
    public string PodDirectory => IsLegacy ? Path.GetDirectoryName(Path.GetDirectoryName(Directory))! : Path.GetDirectoryName(Directory)!;

    /// <summary>The pod UID the directory is filed under (for a container whose state file cannot be read).</summary>
    public string PodUid => Path.GetFileName(PodDirectory);

    /// <summary>
    /// CRI log path: <c>&lt;logRoot&gt;/&lt;namespace&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/&lt;attempt&gt;.log</c>.
    /// Mirrors kubernetes/kubernetes pkg/kubelet/kuberuntime/helpers.go (BuildContainerLogsDirectory).
    /// </summary>
    public static string LogPath(string logRoot, ContainerConfig config) => Path.Combine(logRoot,
        $"{config.PodNamespace}_{config.PodName}_{config.PodUid}", config.ContainerName,
        config.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".log");
}
