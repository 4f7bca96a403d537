using Berth.Kubelet.Runtime;

namespace Berth.Kubelet.Streaming;

/// <summary>
/// The interactive half of a CRI runtime that <see cref="IContainerRuntime.ExecSyncAsync"/> does not cover:
/// a command in a container's context with live stdin/stdout/stderr, an optional pseudo-terminal and resizes.
/// Mirrors kubernetes/cri-api pkg/apis/services.go (RuntimeService Exec, Attach) as a runtime's streaming server serves it.
/// </summary>
/// <remarks>Thread-safe; any number of sessions may run at once.</remarks>
public interface IContainerStreamingRuntime
{
    /// <summary>
    /// Checks that <paramref name="id"/> can run a command now and captures its context (environment, working
    /// directory, cgroup). NotFound for an unknown container, BadRequest when it is not running. Nothing runs yet.
    /// </summary>
    ExecLaunch PrepareExec(ContainerId id, IReadOnlyList<string> command);

    /// <summary>
    /// Starts the prepared command and forwards its streams until it exited and its output was drained (output still
    /// held open by a background child is cut after a short grace). Returns the exit code (128 + n for signal n).
    /// Cancellation kills the command's process group, then throws <see cref="OperationCanceledException"/>.
    /// </summary>
    Task<int> RunExecAsync(ExecLaunch launch, ExecIo io, CancellationToken cancellationToken);

    /// <summary>
    /// Checks that <paramref name="id"/> can be attached to now: NotFound for an unknown container, BadRequest when
    /// it is not running. Nothing is opened yet.
    /// </summary>
    AttachTarget PrepareAttach(ContainerId id);

    /// <summary>
    /// Connects the client to the container's main process until the container's output ended (it exited) or the
    /// client's end of stdin ends the session (see the runtime's stdinOnce rules). Output is live from the call on.
    /// Cancellation (client gone) leaves the container running and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    Task RunAttachAsync(AttachTarget target, ExecIo io, CancellationToken cancellationToken);
}
