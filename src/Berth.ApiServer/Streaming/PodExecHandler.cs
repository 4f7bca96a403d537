using Berth.Machinery.Errors;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Streaming;

/// <summary>
/// <c>GET|POST /api/v1/namespaces/{namespace}/pods/{name}/exec</c>: runs the command through the node agent; the
/// session's Status is the command's exit code (Success for 0, NonZeroExitCode otherwise).
/// Mirrors kubernetes/kubernetes pkg/registry/core/pod/rest/subresources.go (ExecREST) and the kubelet's
/// remotecommand ServeExec.
/// </summary>
/// <remarks>Singleton; thread-safe. The flow is <see cref="RemoteCommandHandler{TOptions}"/>'s.</remarks>
internal sealed partial class PodExecHandler(IServiceProvider services, ILogger<PodExecHandler> logger)
    : RemoteCommandHandler<PodExecOptions>(services, logger)
{
    protected override PodExecOptions Parse(IQueryCollection query, V1Pod pod) => ExecOptionsParser.Parse(query, pod);

    protected override (bool Stdin, bool Stdout, bool Stderr, bool Tty) Streams(PodExecOptions options) =>
        (options.Stdin, options.Stdout, options.Stderr, options.Tty);

    protected override async Task<System.Text.Json.Nodes.JsonObject> RunAsync(IPodStreamingBackend backend, V1Pod pod,
        PodExecOptions options, IExecStreams streams, CancellationToken cancellationToken) =>
        ExecStatus.ForExitCode(options.Command,
            await backend.ExecAsync(pod, options, streams, cancellationToken).ConfigureAwait(false));

    protected override ApiException Failed(Exception exception, V1Pod pod, PodExecOptions options)
    {
        Log.ExecFailed(Logger, exception, pod.Metadata?.Name ?? "", options.Container);
        return ApiErrors.Internal("Internal error occurred: error executing command in container: " + exception.Message);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7102, EventName = "PodExecFailed", Level = LogLevel.Error,
            Message = "Exec in container {Container} of pod {Pod} failed")]
        public static partial void ExecFailed(ILogger logger, Exception exception, string pod, string container);
    }
}
