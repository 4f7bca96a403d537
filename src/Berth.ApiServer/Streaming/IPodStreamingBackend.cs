using k8s.Models;

namespace Berth.ApiServer.Streaming;

/// <summary>
/// The seam between the API server's <c>pods/log</c>, <c>pods/exec</c> and <c>pods/attach</c> endpoints and the node agent that runs the
/// pod. In <c>berth server</c> the kubelet implements it in-process; a standalone agent is reached through a proxying
/// implementation that forwards the same calls (all arguments are plain data or streams, so each call maps onto one
/// HTTP request or upgraded connection to the agent). Mirrors the kubelet server's containerLogs and exec handlers
/// (kubernetes/kubernetes pkg/kubelet/server/server.go) as the API server reaches them through pods/log and pods/exec.
/// </summary>
/// <remarks>
/// Called once per request, concurrently for different requests; implementations are thread-safe. The API layer has
/// already loaded the pod, checked that it is bound to a node, and resolved/validated the container name against the
/// spec. Errors are <c>ApiException</c>s with upstream messages (e.g. BadRequest
/// <c>container "x" in pod "y" is waiting to start: ContainerCreating</c>); anything else is a server fault.
/// Cancellation means the client went away: stop reading, kill what was started for the request, and return.
/// </remarks>
public interface IPodStreamingBackend
{
    /// <summary>
    /// Writes the container's log, as raw bytes, to <paramref name="output"/>. Validation errors are thrown before
    /// anything is written; after validation the implementation flushes <paramref name="output"/> once (an empty
    /// flush commits the 200 reply). With <see cref="PodLogOptions.Follow"/> it keeps writing (flushing each batch)
    /// until the container stops running and its log is drained, <see cref="PodLogOptions.LimitBytes"/> is reached,
    /// or <paramref name="cancellationToken"/> fires.
    /// </summary>
    Task StreamLogsAsync(V1Pod pod, PodLogOptions options, Stream output, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <see cref="PodExecOptions.Command"/> in the container's context and returns its exit code once it ended
    /// and its output was forwarded. Follows the <see cref="IExecStreams"/> protocol: validation, then
    /// <see cref="IExecStreams.AcceptAsync"/>, then the command. An <c>ApiException</c> thrown after the accept (e.g. the
    /// command could not be started) is reported to the client as a Failure status.
    /// </summary>
    Task<int> ExecAsync(V1Pod pod, PodExecOptions options, IExecStreams streams, CancellationToken cancellationToken);

    /// <summary>
    /// Connects the client to the main process of <see cref="PodAttachOptions.Container"/>: its output from now on,
    /// the client's stdin to the process's stdin (when the spec gave it one; ignored otherwise), resizes with a tty.
    /// Follows the <see cref="IExecStreams"/> protocol like <see cref="ExecAsync"/>; returns when the container's output
    /// ended (it exited) or the end of the client's stdin ended the session. The container is never stopped.
    /// </summary>
    Task AttachAsync(V1Pod pod, PodAttachOptions options, IExecStreams streams, CancellationToken cancellationToken);
}
