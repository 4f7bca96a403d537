using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Server.Tls;

namespace Berth.Server.Hosting;

/// <summary>
/// The certificate a standalone agent serves its kubelet endpoint with. The cluster CA's key stays with the server,
/// so the agent makes its own (a throw-away CA and a serving certificate for its address, fresh at every start) and
/// publishes the serving certificate's SHA-256 in its Node's <see cref="PinAnnotation"/>; the API server trusts exactly
/// that certificate (pinning) when it proxies logs and exec to the agent.
/// </summary>
internal static class KubeletServingCertificate
{
    /// <summary>Node annotation holding the lowercase hex SHA-256 of the agent's serving certificate (DER).</summary>
    public const string PinAnnotation = Berth.ApiServer.Streaming.Remote.KubeletEndpoint.PinAnnotation;

    /// <summary>A new serving certificate (with its key) for <paramref name="address"/> and <c>localhost</c>.</summary>
    public static X509Certificate2 Create(IPAddress address, TimeProvider time)
    {
        var now = time.GetUtcNow();
        using var authority = CertificateFactory.CreateAuthority(now);
        return CertificateFactory.CreateServing(authority, ["localhost"], [address, IPAddress.Loopback], now);
    }

    /// <summary>The pin value: lowercase hex SHA-256 of the certificate's DER encoding.</summary>
    public static string Sha256(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
}
