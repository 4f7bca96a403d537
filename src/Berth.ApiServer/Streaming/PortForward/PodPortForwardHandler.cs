using System.Net;
using System.Net.WebSockets;
using Berth.ApiServer.Streaming.WebSockets;
using Berth.Machinery.Errors;
using Berth.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Streaming.PortForward;

/// <summary>
/// <c>GET|POST /api/v1/namespaces/{namespace}/pods/{name}/portforward</c>: loads the pod, then serves a SPDY/3
/// port-forward session either inside a WebSocket (subprotocol <c>SPDY/3.1+portforward.k8s.io</c>, kubectl 1.31+) or
/// on a raw <c>Upgrade: SPDY/3.1</c> connection (older kubectl, and kubectl's fallback). Connections go to the pod's IP
/// from this process: every Berth pod has its own loopback address on this machine.
/// Errors before the upgrade are Status replies; a refused WebSocket subprotocol answers 400, on which kubectl
/// falls back to raw SPDY.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/registry/core/pod/rest/subresources.go (PortForwardREST) and the kubelet's
/// ServePortForward. Singleton; thread-safe.
/// </remarks>
internal sealed class PodPortForwardHandler(IServiceProvider services, ILogger<PodPortForwardHandler> logger)
{
    /// <summary>The WebSocket subprotocol of kubectl's tunnelled SPDY (client-go tools/portforward, 1.31+).</summary>
    public const string TunnelProtocol = "SPDY/3.1+portforward.k8s.io";

    /// <summary>The <c>X-Stream-Protocol-Version</c> of a raw SPDY port-forward upgrade.</summary>
    public const string SpdyProtocol = "portforward.k8s.io";

    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);

    private readonly IApiClient _api = services.GetRequiredService<IApiClient>();

    public async Task HandleAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        try
        {
            var (ns, name) = StreamingRoute.PodOf(context);
            var pod = await PodLookup.GetAsync(_api, ns, name, aborted).ConfigureAwait(false);
            if (string.IsNullOrEmpty(pod.Spec?.NodeName))
            {
                throw StreamingErrors.NoHostAssigned(name);
            }
            if (!IPAddress.TryParse(pod.Status?.PodIP, out var podIp))
            {
                throw ApiErrors.BadRequest($"pod {name} does not have an IP address yet; port forwarding needs a running pod");
            }
            var session = new PortForwardSession(await UpgradeAsync(context).ConfigureAwait(false), podIp, $"{ns}/{name}", logger);
            await session.RunAsync(aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (ApiException e)
        {
            await StreamingRoute.WriteErrorAsync(context, e).ConfigureAwait(false);
        }
    }

    /// <summary>Sends the 101 and returns the byte stream SPDY frames travel on; throws before sending anything.</summary>
    private static async Task<Stream> UpgradeAsync(HttpContext context)
    {
        var request = context.Request;
        if (WebSocketHandshake.IsWebSocketRequest(request))
        {
            var offered = WebSocketHandshake.RequestedProtocols(request);
            if (!offered.Contains(TunnelProtocol, StringComparer.OrdinalIgnoreCase))
            {
                throw StreamingErrors.UnsupportedSubprotocols(string.Join(' ', offered), TunnelProtocol);
            }
            var socket = await WebSocketHandshake.AcceptAsync(context, TunnelProtocol, KeepAlive).ConfigureAwait(false);
            return WebSocketStream.Create(socket, WebSocketMessageType.Binary, ownsWebSocket: true);
        }
        if (!WebSocketHandshake.IsSpdyRequest(request))
        {
            throw StreamingErrors.UpgradeRequired();
        }
        var versions = request.Headers["X-Stream-Protocol-Version"]
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        if (!versions.Contains(SpdyProtocol, StringComparer.OrdinalIgnoreCase))
        {
            throw StreamingErrors.UnsupportedSubprotocols(string.Join(' ', versions), SpdyProtocol);
        }
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is null || !upgrade.IsUpgradableRequest)
        {
            throw StreamingErrors.UpgradeRequired();
        }
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "SPDY/3.1";
        context.Response.Headers["X-Stream-Protocol-Version"] = SpdyProtocol;
        return await upgrade.UpgradeAsync().ConfigureAwait(false);
    }
}
