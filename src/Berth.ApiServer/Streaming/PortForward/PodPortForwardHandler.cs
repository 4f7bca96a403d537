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
/// on a raw <c>Upgrade: SPDY/3.1</c> connection (older kubectl, and kubectl's fallback), or over the WebSocket channel
/// protocol client libraries use (<see cref="ChannelPortForwardSession"/>). Connections go to the pod's IP
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
            if (ChannelProtocolOf(context.Request) is { } channels)
            {
                var ports = ParsePorts(context.Request.Query["ports"]);
                var socket = await WebSocketHandshake.AcceptAsync(context, channels.Name, KeepAlive).ConfigureAwait(false);
                await new ChannelPortForwardSession(socket, channels, podIp, ports, $"{ns}/{name}").RunAsync(aborted).ConfigureAwait(false);
                return;
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

    /// <summary>
    /// The channel protocol of a client library's WebSocket (<c>v4.channel.k8s.io</c> or <c>v4.base64.channel.k8s.io</c>),
    /// or null for kubectl's SPDY tunnel and anything else. v5 is for remote commands only, as upstream.
    /// </summary>
    private static ChannelProtocol? ChannelProtocolOf(HttpRequest request)
    {
        if (!WebSocketHandshake.IsWebSocketRequest(request))
        {
            return null;
        }
        var offered = WebSocketHandshake.RequestedProtocols(request);
        return offered.Contains(TunnelProtocol, StringComparer.OrdinalIgnoreCase)
            ? null
            : ChannelProtocol.Negotiate(offered.Where(p => !p.Equals(ChannelProtocol.V5.Name, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>The <c>ports</c> query (repeated or comma-separated, 1–65535), as PodPortForwardOptions; 400 otherwise.</summary>
    internal static IReadOnlyList<int> ParsePorts(Microsoft.Extensions.Primitives.StringValues values)
    {
        var ports = new List<int>();
        foreach (var part in values.SelectMany(v => (v ?? "").Split(',')))
        {
            if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
                || port is < 1 or > 65535)
            {
                throw StreamingErrors.BadParameter("ports", part, "a port number between 1 and 65535");
            }
            ports.Add(port);
        }
        return ports.Count > 0 ? ports : throw ApiErrors.BadRequest("query parameter \"ports\" is required");
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
                throw StreamingErrors.UnsupportedSubprotocols(string.Join(' ', offered),
                    $"{TunnelProtocol} {ChannelProtocol.V4.Name} {ChannelProtocol.V4Base64.Name}");
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
