using System.Text.Json.Nodes;
using Berth.ApiServer.Streaming.WebSockets;
using Berth.Machinery.Errors;
using Berth.Registry;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Streaming;

/// <summary>
/// The request flow <c>pods/exec</c> and <c>pods/attach</c> share: load the pod, validate the options, negotiate the
/// channel subprotocol, run the backend on the session, and end it with one Status message. Errors before the upgrade
/// are plain Status replies (kubectl then retries with SPDY, which is refused after the same validation, so the user
/// sees the real error); after the upgrade the outcome is the Status on the status channel.
/// Mirrors the kubelet's k8s.io/kubelet pkg/cri/streaming/remotecommand (ServeExec and ServeAttach over createStreams).
/// </summary>
/// <remarks>Singleton per subresource; thread-safe. The backend is resolved per request.</remarks>
internal abstract class RemoteCommandHandler<TOptions>(IServiceProvider services, ILogger logger)
{
    private readonly IApiClient _api = services.GetRequiredService<IApiClient>();
    private readonly TimeProvider _time = services.GetRequiredService<TimeProvider>();

    protected ILogger Logger { get; } = logger;

    public async Task HandleAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        try
        {
            var (ns, name) = StreamingRoute.PodOf(context);
            var pod = await PodLookup.GetAsync(_api, ns, name, aborted).ConfigureAwait(false);
            var options = Parse(context.Request.Query, pod);
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
            await RunAsync(backend, pod, options, new RejectedExecStreams(StreamingErrors.SpdyNotSupported()), aborted).ConfigureAwait(false);
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

    /// <summary>Validates the query against the pod; throws a 400 <see cref="ApiException"/> on bad input.</summary>
    protected abstract TOptions Parse(IQueryCollection query, V1Pod pod);

    /// <summary>The streams the request asked for.</summary>
    protected abstract (bool Stdin, bool Stdout, bool Stderr, bool Tty) Streams(TOptions options);

    /// <summary>
    /// Runs the backend per the <see cref="IExecStreams"/> protocol and returns the Status of a normal end (exec: the
    /// exit code's; attach: Success).
    /// </summary>
    protected abstract Task<JsonObject> RunAsync(IPodStreamingBackend backend, V1Pod pod, TOptions options, IExecStreams streams,
        CancellationToken cancellationToken);

    /// <summary>Logs a failure after the upgrade and returns the Internal error the client is sent.</summary>
    protected abstract ApiException Failed(Exception exception, V1Pod pod, TOptions options);

    private async Task RunWebSocketAsync(HttpContext context, IPodStreamingBackend backend, V1Pod pod, TOptions options)
    {
        var protocol = ChannelProtocol.Negotiate(WebSocketHandshake.RequestedProtocols(context.Request))
            ?? throw StreamingErrors.UnsupportedSubprotocols(
                string.Join(' ', WebSocketHandshake.RequestedProtocols(context.Request)),
                string.Join(' ', ChannelProtocol.Supported.Select(p => p.Name)));
        await using var session = new ChannelWebSocketSession(context, protocol, Streams(options), _time, Logger);
        try
        {
            var status = await OutcomeAsync(backend, pod, options, session).ConfigureAwait(false);
            await session.CompleteAsync(status).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (session.Aborted.IsCancellationRequested)
        {
            // The client closed the socket or went away; nobody to report to.
        }
    }

    // The session's final Status; rethrows errors from before the session was accepted (they are pre-upgrade replies).
    private async Task<JsonObject> OutcomeAsync(IPodStreamingBackend backend, V1Pod pod, TOptions options, ChannelWebSocketSession session)
    {
        try
        {
            var status = await RunAsync(backend, pod, options, session, session.Aborted).ConfigureAwait(false);
            if (!session.Accepted)
            {
                throw new InvalidOperationException("the streaming backend returned without accepting the session");
            }
            return status;
        }
        catch (ApiException e) when (session.Accepted)
        {
            return ExecStatus.ForError(e);
        }
        catch (Exception e) when (session.Accepted && e is not OperationCanceledException)
        {
            return ExecStatus.ForError(Failed(e, pod, options));
        }
    }
}
