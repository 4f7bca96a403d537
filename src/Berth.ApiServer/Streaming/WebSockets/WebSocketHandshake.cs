using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.ApiServer.Streaming.WebSockets;

/// <summary>
/// The server side of the RFC 6455 opening handshake over Kestrel's <see cref="IHttpUpgradeFeature"/>, so the
/// streaming endpoints need no host-wide WebSocket middleware. HTTP/1.1 only, as every Kubernetes client dials.
/// </summary>
internal static class WebSocketHandshake
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>True when the request asks for a WebSocket (<c>Upgrade: websocket</c>).</summary>
    public static bool IsWebSocketRequest(HttpRequest request) =>
        request.Headers.Upgrade.Any(u => string.Equals(u, "websocket", StringComparison.OrdinalIgnoreCase));

    /// <summary>True when the request asks for a SPDY/3.1 upgrade (kubectl 1.29 and older, or the SPDY fallback).</summary>
    public static bool IsSpdyRequest(HttpRequest request) =>
        request.Headers.Upgrade.Any(u => u is not null && u.StartsWith("SPDY/", StringComparison.OrdinalIgnoreCase));

    /// <summary>The subprotocols the client offered, in its order.</summary>
    public static IReadOnlyList<string> RequestedProtocols(HttpRequest request) =>
        request.Headers.SecWebSocketProtocol
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();

    /// <summary>
    /// Checks the handshake headers, sends 101 with <paramref name="subProtocol"/>, and returns the server WebSocket.
    /// Throws BadRequest for a malformed or non-upgradable request (nothing has been sent then).
    /// </summary>
    public static async Task<WebSocket> AcceptAsync(HttpContext context, string subProtocol, TimeSpan keepAlive)
    {
        var request = context.Request;
        var key = request.Headers.SecWebSocketKey.ToString();
        if (!HttpMethods.IsGet(request.Method) || request.Headers.SecWebSocketVersion.ToString() != "13" || !IsValidKey(key))
        {
            throw Machinery.Errors.ApiErrors.BadRequest("malformed WebSocket handshake: GET with Sec-WebSocket-Version 13 and a Sec-WebSocket-Key is required");
        }
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is null || !upgrade.IsUpgradableRequest)
        {
            throw StreamingErrors.UpgradeRequired();
        }
        var headers = context.Response.Headers;
        headers.Connection = "Upgrade";
        headers.Upgrade = "websocket";
        headers.SecWebSocketAccept = ComputeAccept(key);
        headers.SecWebSocketProtocol = subProtocol;
        var stream = await upgrade.UpgradeAsync().ConfigureAwait(false);
        return WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
        {
            IsServer = true,
            // The header above carries the subprotocol; the runtime rejects names with separators such as kubectl's
            // "SPDY/3.1+portforward.k8s.io", so only plain tokens are recorded on the socket.
            SubProtocol = subProtocol.AsSpan().IndexOfAny("()<>@,;:\\\"/[]?={} \t") < 0 ? subProtocol : null,
            KeepAliveInterval = keepAlive,
        });
    }

    /// <summary>base64(SHA-1(key + RFC 6455 GUID)).</summary>
    public static string ComputeAccept(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));

    private static bool IsValidKey(string key)
    {
        Span<byte> decoded = stackalloc byte[24];
        return Convert.TryFromBase64String(key, decoded, out var length) && length == 16;
    }
}
