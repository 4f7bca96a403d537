using System.Net.Security;

namespace Berth.Kubelet.Lifecycle;

/// <summary>
/// HTTP clients for httpGet hooks and probes, configured as upstream's: no certificate verification for HTTPS
/// (InsecureSkipVerify), redirects followed (up to 10), no keep-alive, no client-side timeout (hooks are bounded by
/// the grace race, probes by their own timeoutSeconds). Mirrors kubernetes/kubernetes pkg/probe/http/http.go (New).
/// </summary>
public static class LifecycleHttpClients
{
    /// <summary>A new client; the caller owns and disposes it (one per agent is enough).</summary>
    public static HttpClient Create(bool followRedirects = true) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = followRedirects,
        MaxAutomaticRedirections = 10,
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.Zero,
        ConnectTimeout = Timeout.InfiniteTimeSpan,
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
