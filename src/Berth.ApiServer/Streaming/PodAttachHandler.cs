using Berth.Machinery.Errors;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Streaming;

/// <summary>
/// <c>GET|POST /api/v1/namespaces/{namespace}/pods/{name}/attach</c>: connects the client to the container's main
/// process through the node agent; the session ends with Success when the stream ended (the container exited, or the
/// client's stdin ended the session).
/// Mirrors kubernetes/kubernetes pkg/registry/core/pod/rest/subresources.go (AttachREST) and the kubelet's
/// remotecommand ServeAttach.
/// </summary>
/// <remarks>Singleton; thread-safe. The flow is <see cref="RemoteCommandHandler{TOptions}"/>'s.</remarks>
internal sealed partial class PodAttachHandler(IServiceProvider services, ILogger<PodAttachHandler> logger)
    : RemoteCommandHandler<PodAttachOptions>(services, logger)
{
    protected override PodAttachOptions Parse(IQueryCollection query, V1Pod pod) => AttachOptionsParser.Parse(query, pod);

    protected override (bool Stdin, bool Stdout, bool Stderr, bool Tty) Streams(PodAttachOptions options) =>
        (options.Stdin, options.Stdout, options.Stderr, options.Tty);

    protected override async Task<System.Text.Json.Nodes.JsonObject> RunAsync(IPodStreamingBackend backend, V1Pod pod,
        PodAttachOptions options, IExecStreams streams, CancellationToken cancellationToken)
    {
        await backend.AttachAsync(pod, options, streams, cancellationToken).ConfigureAwait(false);
        return ExecStatus.Success();
    }

    protected override ApiException Failed(Exception exception, V1Pod pod, PodAttachOptions options)
    {
        Log.AttachFailed(Logger, exception, pod.Metadata?.Name ?? "", options.Container);
        return ApiErrors.Internal("Internal error occurred: error attaching to container: " + exception.Message);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7103, EventName = "PodAttachFailed", Level = LogLevel.Error,
            Message = "Attach to container {Container} of pod {Pod} failed")]
        public static partial void AttachFailed(ILogger logger, Exception exception, string pod, string container);
    }
}
