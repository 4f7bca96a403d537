using Berth.ApiServer.Streaming.WebSockets;
using Berth.Machinery.Errors;
using Berth.Registry;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Streaming;

/// <summary>
/// <c>GET|POST /api/v1/namespaces/{namespace}/pods/{name}/exec</c>: loads the pod, validates the options, negotiates
/// the channel subprotocol, and runs the command through the node agent. Errors before the upgrade are plain Status
/// replies (kubectl then retries with SPDY, which is refused after the same validation, so the user sees the real
/// error); after the upgrade the outcome is one Status message on the status channel.
/// Mirrors kubernetes/kubernetes pkg/registry/core/pod/rest/subresources.go (ExecREST) and the kubelet's
/// remotecommand ServeExec.
/// </summary>
/// <remarks>Singleton; thread-safe. The backend is resolved per request.</remarks>
internal sealed partial class PodExecHandler(IServiceProvider services, ILogger<PodExecHandler> logger)
{
    private readonly IApiClient _api = services.GetRequiredService<IApiClient>();
    private readonly TimeProvider _time = services.GetRequiredService<TimeProvider>();

    public async Task HandleAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        try
        {
            var (ns, name) = StreamingRoute.PodOf(context);
            var pod = await PodLookup.GetAsync(_api, ns, name, aborted).ConfigureAwait(false);
            var options = ExecOptionsParser.Parse(context.Request.Query, pod);
            if (string.IsNullOrEmpty(pod.Spec?.NodeName))
            {
                throw StreamingErrors.NoHostAssigned(name);
            }
            var backend = services.GetService<IPodStreamingBackend>() ?? throw StreamingErrors.NodeAgentUnavailable(pod.Spec.NodeName);
            if (WebSocketHandshake.IsWebSocketRequest(context.Request))
            {
                await RunWebSocketAsync(context, backend, pod, options).ConfigureAwait(false);
                return;
            }
            if (!WebSocketHandshake.IsSpdyRequest(context.Request))
            {
                throw StreamingErrors.UpgradeRequired();
            }
            await backend.ExecAsync(pod, options, new RejectedExecStreams(StreamingErrors.SpdyNotSupported()), aborted).ConfigureAwait(false);
            throw StreamingErrors.SpdyNotSupported();
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away before the upgrade.
        }
        catch (ApiException e)
        {
            await StreamingRoute.WriteErrorAsync(context, e).ConfigureAwait(false);
        }
    }

    private async Task RunWebSocketAsync(HttpContext context, IPodStreamingBackend backend, V1Pod pod, PodExecOptions options)
    {
        var protocol = ChannelProtocol.Negotiate(WebSocketHandshake.RequestedProtocols(context.Request))
            ?? throw StreamingErrors.UnsupportedSubprotocols(
                string.Join(' ', WebSocketHandshake.RequestedProtocols(context.Request)),
                string.Join(' ', ChannelProtocol.Supported.Select(p => p.Name)));
        await using var session = new ChannelWebSocketSession(context, protocol, options, _time, logger);
        try
        {
            var status = await ExecuteAsync(backend, pod, options, session).ConfigureAwait(false);
            await session.CompleteAsync(status).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (session.Aborted.IsCancellationRequested)
        {
            // The client closed the socket or went away; the backend has killed the command. Nobody to report to.
        }
    }

    /// <summary>Runs the backend and turns its outcome into the session's final Status; rethrows pre-upgrade errors.</summary>
    private async Task<System.Text.Json.Nodes.JsonObject> ExecuteAsync(IPodStreamingBackend backend, V1Pod pod,
        PodExecOptions options, ChannelWebSocketSession session)
    {
        try
        {
            var exitCode = await backend.ExecAsync(pod, options, session, session.Aborted).ConfigureAwait(false);
            if (!session.Accepted)
            {
                throw new InvalidOperationException("the streaming backend returned without accepting the session");
            }
            return ExecStatus.ForExitCode(options.Command, exitCode);
        }
        catch (ApiException e) when (session.Accepted)
        {
            return ExecStatus.ForError(e);
        }
        catch (Exception e) when (session.Accepted && e is not OperationCanceledException)
        {
            Log.ExecFailed(logger, e, pod.Metadata?.Name ?? "", options.Container);
            return ExecStatus.ForError(ApiErrors.Internal("error executing command in container: " + e.Message));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7102, EventName = "PodExecFailed", Level = LogLevel.Error,
            Message = "Exec in container {Container} of pod {Pod} failed")]
        public static partial void ExecFailed(ILogger logger, Exception exception, string pod, string container);
    }
}
