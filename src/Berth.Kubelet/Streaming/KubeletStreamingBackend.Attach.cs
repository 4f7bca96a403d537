using Berth.ApiServer.Streaming;
using Berth.Kubelet.Runtime;
using k8s.Models;

namespace Berth.Kubelet.Streaming;

public sealed partial class KubeletStreamingBackend
{
    /// <summary>
    /// Finds the pod's running instance of the container, accepts the session, and attaches. Not running (or not on
    /// this node): the session is accepted and ends with upstream's Internal error <c>unable to upgrade
    /// connection: container x not found in pod name_namespace</c> (<see cref="StreamingErrors.NodeRefusedStream"/>).
    /// Mirrors kubernetes/kubernetes pkg/kubelet/kubelet_pods.go (GetAttach → findContainer).
    /// </summary>
    public async Task AttachAsync(V1Pod pod, PodAttachOptions options, IExecStreams streams, CancellationToken cancellationToken)
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
            throw StreamingErrors.NodeRefusedStream(
                $"container {options.Container} not found in pod {pod.Metadata?.Name}_{pod.Metadata?.NamespaceProperty}");
        }
        var target = _streaming.PrepareAttach(running.Id);
        await streams.AcceptAsync(cancellationToken).ConfigureAwait(false);
        var io = new ExecIo(streams.Stdin, streams.Stdout, streams.Stderr, options.Tty,
            options.Tty ? streams.ResizeEventsAsync(cancellationToken) : null);
        await _streaming.RunAttachAsync(target, io, cancellationToken).ConfigureAwait(false);
    }
}
