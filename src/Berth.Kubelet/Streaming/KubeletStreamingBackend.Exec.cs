using Berth.ApiServer.Streaming;
using Berth.Kubelet.Runtime;
using Berth.Machinery.Errors;
using k8s.Models;

namespace Berth.Kubelet.Streaming;

public sealed partial class KubeletStreamingBackend
{
    /// <summary>
    /// Finds the pod's running instance of the container, prepares the command, accepts the session, and runs it.
    /// Not running (or not on this node): the session is accepted and ends with upstream's Internal error
    /// <c>unable to upgrade connection: container not found ("x")</c> (<see cref="StreamingErrors.NodeRefusedStream"/>).
    /// A program that is not there ends the accepted session with upstream's internal error (kubectl: <c>error: Internal
    /// error occurred: error executing command in container: … executable file not found in $PATH</c>, exit 1).
    /// Mirrors kubernetes/kubernetes pkg/kubelet/kubelet_pods.go (GetExec → findContainer).
    /// </summary>
    public async Task<int> ExecAsync(V1Pod pod, PodExecOptions options, IExecStreams streams, CancellationToken cancellationToken)
    {
        var uid = pod.Metadata?.Uid ?? "";
        var containers = await _runtime.ListContainersAsync(cancellationToken).ConfigureAwait(false);
        var running = containers
            .Where(c => c.PodUid == uid && c.ContainerName == options.Container && c.State == ContainerState.Running)
            .OrderByDescending(c => c.Attempt)
            .FirstOrDefault();
        if (running is null)
        {
            await streams.AcceptAsync(cancellationToken).ConfigureAwait(false);
            throw StreamingErrors.NodeRefusedStream($"container not found (\"{options.Container}\")");
        }
        var launch = _streaming.PrepareExec(running.Id, options.Command);
        await streams.AcceptAsync(cancellationToken).ConfigureAwait(false);
        if (launch.MissingExecutable is { } missing)
        {
            // The runtime's exec start fails; the kubelet reports it as an internal error (exit 1, not a shell's 127).
            throw ApiErrors.Internal(
                $"Internal error occurred: error executing command in container: failed to exec in container: unable to start container process: {missing}");
        }
        var io = new ExecIo(streams.Stdin, streams.Stdout, streams.Stderr, options.Tty,
            options.Tty ? streams.ResizeEventsAsync(cancellationToken) : null);
        return await _streaming.RunExecAsync(launch, io, cancellationToken).ConfigureAwait(false);
    }
}
