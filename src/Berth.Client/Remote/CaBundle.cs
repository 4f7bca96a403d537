using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Client.Remote;

/// <summary>
/// Loads a PEM CA bundle and validates a server certificate against it alone (custom root trust: the system store
/// is not consulted), host name included. Mirrors what client-go does with a kubeconfig's
/// <c>certificate-authority</c> (k8s.io/client-go transport, tls.Config RootCAs). Thread-safe.
/// </summary>
public static class CaBundle
{
    /// <summary>Every certificate in the PEM file. Throws <see cref="IOException"/> when there is none or the file is malformed.</summary>
    public static X509Certificate2Collection Load(string path)
    {
        var bundle = new X509Certificate2Collection();
        try
        {
            bundle.ImportFromPemFile(path);
        }
        catch (CryptographicException e)
        {
            throw new IOException($"the certificate authority file {path} is not a PEM certificate bundle: {e.Message}", e);
        }
        if (bundle.Count == 0)
        {
            throw new IOException($"the certificate authority file {path} holds no certificate");
        }
        return bundle;
    }

    /// <summary>A TLS validation callback that accepts only certificates chaining to <paramref name="roots"/> with a matching name.</summary>
    public static RemoteCertificateValidationCallback Validator(X509Certificate2Collection roots) =>
        (_, certificate, _, errors) =>
        {
            if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
            {
                return false;
            }
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return chain.Build(leaf);
        };
}
