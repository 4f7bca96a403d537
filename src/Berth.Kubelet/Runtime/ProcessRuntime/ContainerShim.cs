namespace Berth.Kubelet.Runtime.ProcessRuntime;

/// <summary>
/// The fallback per-container shim (used when the native <see cref="NativeShim"/> was not built, or with
/// <see cref="ContainerShimKind.Script"/>): a POSIX <c>sh</c> script (dash: ~1 ms to start, ~1 MB resident) that the agent spawns in
/// a session of its own. It plays the part of containerd-shim/conmon, so containers outlive the agent:
/// <list type="number">
/// <item>It opens both log FIFOs read-write and keeps them open, so the pipes never lose their last reader when the
/// agent dies (no SIGPIPE/EPIPE for the app; output waits in the pipe for the next agent).</item>
/// <item>It starts the container through <c>setsid</c> (a new session and process group, the main process is the
/// process group leader), after the child joined its cgroup, so every descendant is born inside it.</item>
/// <item>The child reports its PID on fd 3 (the start pipe) and then execs the command: the PID the agent holds is
/// the container's main process, the one the stop signal goes to.</item>
/// <item>It waits for the main process and writes its exit status (<c>$?</c>: the code, or 128 + signal) to the
/// exit file, then kills what is left in the cgroup (a container ends when its main process ends) and exits with
/// the same status. It is the main process's parent, so no zombie outlives it, whether or not the agent lives.</item>
/// </list>
/// </summary>
/// <remarks>
/// The shim is not in the container's cgroup or process group, so killing the tree never kills it before it has
/// recorded the exit. It installs no traps: ignored dispositions would be inherited by the container.
/// Positional parameters: $1 container directory, $2 cgroup directory or empty, $3 working directory,
/// $4 path of setsid or empty, $5 path of unshare, $6 the <see cref="Namespaces.MountScript"/> or empty (no mount
/// namespace), $7 its phase, then the container argv. With a mount script the child execs (in place) into
/// <c>unshare --mount --propagation private</c>, which runs the script; the script reports the PID and execs the
/// command once the mounts are in place.
/// </remarks>
internal static class ContainerShim
{
    public const string Shell = "/bin/sh";

    /// <summary>util-linux setsid; when the parent is not a process group leader it calls setsid() and execs in place.</summary>
    public const string SetsidPath = "/usr/bin/setsid";

    public const string Script = """
        d=$1 cg=$2 wd=$3 ss=$4 un=$5 ms=$6 mp=$7
        shift 7
        exec 4<>"$d/stdout.fifo" 5<>"$d/stderr.fifo"
        $ss /bin/sh -c 'cg=$1 wd=$2 d=$3 un=$4 ms=$5 mp=$6
        shift 6
        if [ -n "$cg" ]; then echo $$ >"$cg/cgroup.procs" || exit 125; fi
        if [ -n "$ms" ]; then exec "$un" --mount --propagation private /bin/sh -c "$ms" berth-mounts "$ms" "$mp" "$d" "$wd" "$@"; fi
        cd "$wd" || exit 125
        echo $$ >&3
        exec 3>&-
        exec "$@"' berth-init "$cg" "$wd" "$d" "$un" "$ms" "$mp" "$@" >"$d/stdout.fifo" 2>"$d/stderr.fifo" 4>&- 5>&- &
        exec 3>&-
        wait $!
        rc=$?
        echo $rc >"$d/exit"
        if [ -n "$cg" ]; then echo 1 >"$cg/cgroup.kill"; fi 2>/dev/null
        exit $rc
        """;

    /// <summary>argv for posix_spawn of the shim.</summary>
    /// <param name="mounts">The unshare path, the mount script and its phase; null for no mount namespace.</param>
    public static IReadOnlyList<string> BuildArgv(string containerDirectory, string? cgroup, string workingDirectory,
        bool useSetsid, (string Unshare, string Script, string Phase)? mounts, IReadOnlyList<string> command) =>
        [Shell, "-c", Script, "berth-shim", containerDirectory, cgroup ?? "", workingDirectory,
            useSetsid ? SetsidPath : "", mounts?.Unshare ?? "", mounts?.Script ?? "", mounts?.Phase ?? "", .. command];
}
