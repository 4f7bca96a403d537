using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Server.Tls;

/// <summary>
/// Creates the cluster CA and serving certificates (ECDSA P-256, SHA-256). The CA is valid for 10 years; a serving
/// certificate for 1 year (never past its CA). Go's verifier ignores the CN, so every name a client dials must be a
/// SAN. Pure apart from randomness; the caller persists the results.
/// </summary>
/// <remarks>Plays the role of k8s.io/client-go/util/cert (GenerateSelfSignedCertKey) and kubeadm's certs phase.</remarks>
internal static class CertificateFactory
{
    public static readonly TimeSpan AuthorityLifetime = TimeSpan.FromDays(3650);
    public static readonly TimeSpan ServingLifetime = TimeSpan.FromDays(365);

    /// <summary>Backdating, so that a client whose clock is slightly behind still accepts a fresh certificate.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public static X509Certificate2 CreateAuthority(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=berth-ca, O=berth", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now - ClockSkew, now + AuthorityLifetime);
    }

    /// <summary>A serving certificate for <paramref name="dnsNames"/> and <paramref name="addresses"/>, signed by <paramref name="authority"/> (which must carry its key).</summary>
    public static X509Certificate2 CreateServing(X509Certificate2 authority, IEnumerable<string> dnsNames,
        IEnumerable<IPAddress> addresses, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=berth-apiserver, O=berth", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            names.AddDnsName(dns);
        }
        foreach (var address in addresses.Distinct())
        {
            names.AddIpAddress(address);
        }
        request.CertificateExtensions.Add(names.Build(critical: false));
        var notAfter = Min(now + ServingLifetime, authority.NotAfter);
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var unkeyed = request.Create(authority, now - ClockSkew, notAfter, serial);
        return unkeyed.CopyWithPrivateKey(key);
    }

    /// <summary>The DNS names and IP addresses in <paramref name="certificate"/>'s SAN extension.</summary>
    public static (IReadOnlyList<string> DnsNames, IReadOnlyList<IPAddress> Addresses) SubjectAlternativeNames(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        return extension is null
            ? ([], [])
            : (extension.EnumerateDnsNames().ToList(), extension.EnumerateIPAddresses().ToList());
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
