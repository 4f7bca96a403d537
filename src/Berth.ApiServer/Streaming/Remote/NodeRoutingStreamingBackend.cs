using k8s.Models;

namespace Berth.ApiServer.Streaming.Remote;

/// <summary>
/// The API server's <see cref="IPodStreamingBackend"/> when pods may run on several nodes: pods bound to the
/// server's own node go to the in-process kubelet, every other pod to <see cref="RemotePodStreamingBackend"/>
/// (the agent serving that node). Stateless and thread-safe.
/// </summary>
public sealed class NodeRoutingStreamingBackend(string localNode, IPodStreamingBackend? local, IPodStreamingBackend remote) : IPodStreamingBackend
{
    public Task StreamLogsAsync(V1Pod pod, PodLogOptions options, Stream output, CancellationToken cancellationToken) =>
        For(pod).StreamLogsAsync(pod, options, output, cancellationToken);

    public Task<int> ExecAsync(V1Pod pod, PodExecOptions options, IExecStreams streams, CancellationToken cancellationToken) =>
        For(pod).ExecAsync(pod, options, streams, cancellationToken);

    public Task AttachAsync(V1Pod pod, PodAttachOptions options, IExecStreams streams, CancellationToken cancellationToken) =>
        For(pod).AttachAsync(pod, options, streams, cancellationToken);

    private IPodStreamingBackend For(V1Pod pod) =>
        local is not null && string.Equals(pod.Spec?.NodeName, localNode, StringComparison.Ordinal) ? local : remote;
}
