using System.Net;
using System.Net.Security;

namespace Berth.Client.Remote;

/// <summary>
/// The transport of <see cref="RemoteApiClient"/>: one <see cref="SocketsHttpHandler"/> that validates the server
/// against the configured CA bundle, prefers HTTP/2 and opens further HTTP/2 connections when a connection's
/// concurrent-stream limit is reached (long-running watches would otherwise starve ordinary requests).
/// </summary>
internal static class RemoteHttpHandler
{
    public static SocketsHttpHandler Create(RemoteApiClientOptions options) => new()
    {
        EnableMultipleHttp2Connections = true,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
        KeepAlivePingDelay = TimeSpan.FromSeconds(30),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(15),
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        AutomaticDecompression = DecompressionMethods.None,
        AllowAutoRedirect = false,
        UseProxy = false,
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = CaBundle.Validator(options.CertificateAuthorities),
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
        },
    };
}
