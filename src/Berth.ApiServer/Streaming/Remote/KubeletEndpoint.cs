using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.ApiServer.Streaming.Remote;

/// <summary>
/// Where a standalone agent's kubelet endpoint is and which certificate it must present, read from its Node: the
/// InternalIP address, <c>status.daemonEndpoints.kubeletEndpoint.Port</c> and the
/// <see cref="PinAnnotation"/> SHA-256 of the agent's self-signed serving certificate. Pure.
/// Mirrors how the apiserver finds a kubelet (pkg/kubelet/client GetConnectionInfo: node address + daemon port).
/// </summary>
public sealed record KubeletEndpoint(Uri BaseAddress, string CertificateSha256)
{
    /// <summary>The Node annotation a standalone agent publishes its serving certificate's SHA-256 (lowercase hex of the DER) in.</summary>
    public const string PinAnnotation = "berth.dev/kubelet-serving-cert-sha256";

    /// <summary>The endpoint of <paramref name="node"/>, or null when it publishes none (an in-process node, an older agent).</summary>
    public static KubeletEndpoint? FromNode(JsonObject node)
    {
        var pin = node.GetString("metadata", "annotations", PinAnnotation);
        var port = node.GetLong("status", "daemonEndpoints", "kubeletEndpoint", "Port");
        var address = node.GetArray("status", "addresses")?.OfType<JsonObject>()
            .FirstOrDefault(a => a.GetString("type") == "InternalIP")?.GetString("address");
        if (string.IsNullOrEmpty(pin) || port is not (> 0 and <= 65535) || !System.Net.IPAddress.TryParse(address, out var ip))
        {
            return null;
        }
        var host = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString();
        return new KubeletEndpoint(new Uri(string.Create(CultureInfo.InvariantCulture, $"https://{host}:{port}/")), pin.ToLowerInvariant());
    }

    /// <summary>
    /// An HTTP client for this endpoint: trusts only the pinned certificate, sends <paramref name="token"/> as the bearer,
    /// no proxy, redirects or decompression, no overall timeout (streams may last). The caller owns and caches it.
    /// </summary>
    public HttpClient CreateClient(string token)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validator() },
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        var client = new HttpClient(handler, disposeHandler: true) { BaseAddress = BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Accepts exactly the certificate whose SHA-256 is <see cref="CertificateSha256"/> (no chain or name checks: the pin is the trust).</summary>
    public RemoteCertificateValidationCallback Validator() =>
        (_, certificate, _, _) => certificate is not null
            && CryptographicOperations.FixedTimeEquals(
                Convert.FromHexString(CertificateSha256), SHA256.HashData(certificate.GetRawCertData()));
}
