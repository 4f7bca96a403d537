using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Server.Hosting;

namespace Berth.Server.Tls;

/// <summary>
/// Loads the CA and serving certificate from the data directory, creating them at first start. The CA is never
/// replaced once it exists (a damaged CA is an error for the user to resolve). The serving certificate is
/// re-issued when it is missing, unreadable, not signed by the CA, within <see cref="RenewBefore"/> of expiry, or
/// lacks a required SAN (for example after <c>--bind</c> changed). Called once per start, before Kestrel is built.
/// </summary>
internal static class ServingCertificates
{
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    /// <summary>The DNS names every serving certificate carries.</summary>
    public static readonly IReadOnlyList<string> DnsNames = ["localhost"];

    /// <summary>The IP SANs for a server bound to <paramref name="bind"/>: loopback v4 and v6, plus the bind address if specific.</summary>
    public static IReadOnlyList<IPAddress> AddressesFor(IPAddress bind)
    {
        var addresses = new List<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        if (!bind.Equals(IPAddress.Any) && !bind.Equals(IPAddress.IPv6Any) && !addresses.Contains(bind))
        {
            addresses.Add(bind);
        }
        return addresses;
    }

    public static ServingMaterial LoadOrCreate(DataDirectory dir, IReadOnlyList<IPAddress> addresses, TimeProvider time) =>
        LoadOrCreate(dir, DnsNames, addresses, time);

    /// <summary>
    /// As above, with the DNS SANs given (e.g. <see cref="ApiServerServingNames"/>: <c>localhost</c> plus the
    /// <c>kubernetes</c> Service's names). A certificate missing any of them is re-issued under the same CA.
    /// </summary>
    public static ServingMaterial LoadOrCreate(DataDirectory dir, IReadOnlyList<string> dnsNames, IReadOnlyList<IPAddress> addresses, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var authority = LoadOrCreateAuthority(dir, now);
        var serving = TryLoad(dir.ServerCertificate, dir.ServerKey);
        if (serving is null || !IsUsable(serving, authority, dnsNames, addresses, now))
        {
            serving?.Dispose();
            serving = CertificateFactory.CreateServing(authority, dnsNames, addresses, now);
            Save(serving, dir.ServerCertificate, dir.ServerKey);
        }
        return new ServingMaterial(authority, serving);
    }

    /// <summary>True when <paramref name="serving"/> chains to <paramref name="authority"/>, is valid for a while yet and names every address.</summary>
    internal static bool IsUsable(X509Certificate2 serving, X509Certificate2 authority, IReadOnlyList<IPAddress> addresses, DateTimeOffset now) =>
        IsUsable(serving, authority, DnsNames, addresses, now);

    /// <summary>As above, also requiring every name of <paramref name="requiredDnsNames"/>.</summary>
    internal static bool IsUsable(X509Certificate2 serving, X509Certificate2 authority, IReadOnlyList<string> requiredDnsNames,
        IReadOnlyList<IPAddress> addresses, DateTimeOffset now)
    {
        if (now + RenewBefore > serving.NotAfter || now < serving.NotBefore)
        {
            return false;
        }
        var (dnsNames, ips) = CertificateFactory.SubjectAlternativeNames(serving);
        if (!requiredDnsNames.All(d => dnsNames.Contains(d, StringComparer.OrdinalIgnoreCase)) || !addresses.All(ips.Contains))
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        return chain.Build(serving);
    }

    private static X509Certificate2 LoadOrCreateAuthority(DataDirectory dir, DateTimeOffset now)
    {
        if (File.Exists(dir.CaCertificate) || File.Exists(dir.CaKey))
        {
            return TryLoad(dir.CaCertificate, dir.CaKey)
                ?? throw new InvalidOperationException(
                    $"cannot load the cluster CA from {dir.CaCertificate} and {dir.CaKey}; restore them or remove both to create a new CA");
        }
        var authority = CertificateFactory.CreateAuthority(now);
        Save(authority, dir.CaCertificate, dir.CaKey);
        return authority;
    }

    private static X509Certificate2? TryLoad(string certificatePath, string keyPath)
    {
        if (!File.Exists(certificatePath) || !File.Exists(keyPath))
        {
            return null;
        }
        try
        {
            return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static void Save(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        using var key = certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException("generated certificates always carry an ECDSA key");
        SecureFile.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem(), SecureFile.Private);
        SecureFile.WriteAllText(certificatePath, certificate.ExportCertificatePem(), SecureFile.Public);
    }
}
