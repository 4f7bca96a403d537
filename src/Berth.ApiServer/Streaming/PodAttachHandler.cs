using Berth.ApiServer.Streaming.WebSockets;
using Berth.Machinery.Errors;
using Berth.Registry;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Streaming;

/// <summary>
/// <c>GET|POST /api/v1/namespaces/{namespace}/pods/{name}/attach</c>: loads the pod, validates the options, negotiates
/// the channel subprotocol, and connects the client to the container's main process through the node agent. Errors
/// before the upgrade are plain Status replies (as for exec, the SPDY fallback is refused after the same
/// validation); after the upgrade the session ends with one Status message: Success when the stream ended (the
/// container exited, or the client's stdin ended the session), the error otherwise.
/// Mirrors kubernetes/kubernetes pkg/registry/core/pod/rest/subresources.go (AttachREST) and the kubelet's
/// remotecommand ServeAttach.
/// </summary>
/// <remarks>Singleton; thread-safe. The backend is resolved per request.</remarks>
internal sealed partial class PodAttachHandler(IServiceProvider services, ILogger<PodAttachHandler> logger)
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
            var options = AttachOptionsParser.Parse(context.Request.Query, pod);
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
            await backend.AttachAsync(pod, options, new RejectedExecStreams(StreamingErrors.SpdyNotSupported()), aborted).ConfigureAwait(false);
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

    private async Task RunWebSocketAsync(HttpContext context, IPodStreamingBackend backend, V1Pod pod, PodAttachOptions options)
    {
        var protocol = ChannelProtocol.Negotiate(WebSocketHandshake.RequestedProtocols(context.Request))
            ?? throw StreamingErrors.UnsupportedSubprotocols(
                string.Join(' ', WebSocketHandshake.RequestedProtocols(context.Request)),
                string.Join(' ', ChannelProtocol.Supported.Select(p => p.Name)));
        await using var session = new ChannelWebSocketSession(context, protocol,
            (options.Stdin, options.Stdout, options.Stderr, options.Tty), _time, logger);
        try
        {
            var status = await AttachAsync(backend, pod, options, session).ConfigureAwait(false);
            await session.CompleteAsync(status).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (session.Aborted.IsCancellationRequested)
        {
            // The client closed the socket or went away; the container keeps running. Nobody to report to.
        }
    }

    /// <summary>Runs the backend and turns its outcome into the session's final Status; rethrows pre-upgrade errors.</summary>
    private async Task<System.Text.Json.Nodes.JsonObject> AttachAsync(IPodStreamingBackend backend, V1Pod pod,
        PodAttachOptions options, ChannelWebSocketSession session)
    {
        try
        {
            await backend.AttachAsync(pod, options, session, session.Aborted).ConfigureAwait(false);
            if (!session.Accepted)
            {
                throw new InvalidOperationException("the streaming backend returned without accepting the session");
            }
            return ExecStatus.Success();
        }
        catch (ApiException e) when (session.Accepted)
        {
            return ExecStatus.ForError(e);
        }
        catch (Exception e) when (session.Accepted && e is not OperationCanceledException)
        {
            Log.AttachFailed(logger, e, pod.Metadata?.Name ?? "", options.Container);
            return ExecStatus.ForError(ApiErrors.Internal("error attaching to container: " + e.Message));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7103, EventName = "PodAttachFailed", Level = LogLevel.Error,
            Message = "Attach to container {Container} of pod {Pod} failed")]
        public static partial void AttachFailed(ILogger logger, Exception exception, string pod, string container);
    }
}
