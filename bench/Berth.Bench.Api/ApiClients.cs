using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Bench.Api;

/// <summary>
/// HttpClients for a berth server: trust only its CA (<c>ca.crt</c> in the data dir), send its bearer token, and speak
/// exactly the requested HTTP version (HTTP/2 over TLS is what kubectl and client-go use). Each client owns one
/// handler, so with HTTP/2 it is one TCP+TLS connection, like one kubectl or controller process.
/// </summary>
internal static class ApiClients
{
    public static readonly Version Http2 = HttpVersion.Version20;
    public static readonly Version Http11 = HttpVersion.Version11;

    public static HttpClient Create(ServerProcess server, Version version) =>
        Create(server.DataDir, server.BaseUri, version, withToken: true, TimeSpan.FromSeconds(60));

    /// <summary>
    /// A client for <paramref name="baseUri"/>. The CA file is read when the first TLS handshake happens, so the
    /// client may be created before the server has written it (start-up polling).
    /// </summary>
    public static HttpClient Create(string dataDir, Uri baseUri, Version version, bool withToken, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && Trusted(dataDir, cert) },
        };
        var client = new HttpClient(handler)
        {
            BaseAddress = baseUri,
            Timeout = timeout,
            DefaultRequestVersion = version,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (withToken)
        {
            var token = File.ReadAllText(Path.Combine(dataDir, "token")).Trim();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    private static bool Trusted(string dataDir, X509Certificate cert)
    {
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(dataDir, "ca.crt")));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(cert);
        return chain.Build(leaf);
    }

    public static string Name(Version version) => version == Http2 ? "HTTP/2" : "HTTP/1.1";
}
