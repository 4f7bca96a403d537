using Berth.Machinery.Errors;

namespace Berth.Kubelet.Runtime.ProcessRuntime;

/// <summary>
/// What an interactive exec needs to start a process in a Running container's context, exactly as
/// <see cref="ProcessContainerRuntime.ExecSyncAsync"/> does: the container's environment (with its containment
/// marker), working directory, and an argv that joins the container's cgroup, and enters its mount namespace (the
/// mount view of <c>kubectl exec</c> is the container's), before it execs the command.
/// </summary>
/// <param name="Path">Absolute path of the program to spawn (the shell that runs the join-and-exec wrapper).</param>
/// <param name="Argv">Complete argv for the spawn; the user command follows the wrapper's own arguments.</param>
/// <param name="Environment">envp entries, <c>NAME=value</c>. Never log them.</param>
/// <param name="MissingExecutable">
/// Null when the user command's program was found (in the container's mount namespace, or on the host); else the
/// runtime-style reason (<c>exec: "x": executable file not found in $PATH</c>). The spawn would still run: its
/// shell would print its own error and exit 127, which is what a synchronous exec (probe, hook) reports.
/// </param>
internal sealed record ContainerExecContext(string Path, IReadOnlyList<string> Argv, IReadOnlyList<string> Environment,
    string WorkingDirectory, string? MissingExecutable = null);

public sealed partial class ProcessContainerRuntime
{
    /// <summary>
    /// The spawn parameters for running <paramref name="command"/> in container <paramref name="id"/>; NotFound for an
    /// unknown container, BadRequest when it is not Running. Used by the streaming (kubectl exec) runtime, which
    /// owns the process it spawns from this. Thread-safe.
    /// </summary>
    internal ContainerExecContext GetExecContext(ContainerId id, IReadOnlyList<string> command)
    {
        var record = Get(id);
        string? cgroup;
        int pid;
        lock (record.Gate)
        {
            if (record.State.State != ContainerState.Running)
            {
                throw ApiErrors.BadRequest($"container {id} is not running");
            }
            (cgroup, pid) = (record.State.Cgroup, record.State.Pid ?? 0);
        }
        var environment = record.Environment is { } env ? BuildEnvironment(env, id) : ReadEnviron(pid, id);
        var workingDirectory = record.State.Config.WorkingDirectory ?? "/";
        var ns = NamespacePathOf(record, pid);
        return new ContainerExecContext(ContainerShim.Shell,
            [ContainerShim.Shell, "-c", ExecWrapper, "berth-exec", cgroup ?? "", _mountNamespaces?.Nsenter ?? "", ns, workingDirectory, .. command],
            environment, ns.Length > 0 ? "/" : workingDirectory,
            command.Count > 0 ? MissingExecutable(command[0], environment, workingDirectory, ns.Length > 0 ? $"/proc/{pid}/root" : "") : null);
    }

    // Looked up in the container's view first; the host's view as well, so that a program reached only through an
    // absolute symlink (resolved against the agent's root, not the container's) is never reported missing.
    private static string? MissingExecutable(string program, IReadOnlyList<string> environment, string workingDirectory, string root)
    {
        var path = environment.FirstOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..];
        if (ExecutableResolver.Resolve(program, path, workingDirectory, out var error, root) is not null)
        {
            return null;
        }
        return root.Length > 0 && ExecutableResolver.Resolve(program, path, workingDirectory, out _) is not null ? null : error;
    }
}
