using System.Security.Cryptography;

namespace Berth.Server.Hosting;

/// <summary>
/// The key that signs ServiceAccount tokens: an ECDSA P-256 key in <see cref="DataDirectory.ServiceAccountKey"/>
/// (PKCS#8 PEM, mode 0600), created at first start and kept across restarts, so tokens issued before a restart stay
/// valid. A file that exists but cannot be read as such a key fails the start (removing it invalidates every token).
/// Called once per start; the caller owns the returned key.
/// </summary>
/// <remarks>Plays the role of kube-apiserver's <c>--service-account-signing-key-file</c> / <c>--service-account-key-file</c> pair (kubeadm's sa.key).</remarks>
internal static class ServiceAccountSigningKey
{
    public static ECDsa LoadOrCreate(DataDirectory dir)
    {
        var key = ECDsa.Create();
        try
        {
            if (File.Exists(dir.ServiceAccountKey))
            {
                key.ImportFromPem(File.ReadAllText(dir.ServiceAccountKey));
                if (key.KeySize != 256)
                {
                    throw new InvalidOperationException($"{dir.ServiceAccountKey} is not an ECDSA P-256 key; remove it to create a new one (this invalidates every ServiceAccount token)");
                }
                return key;
            }
            key.GenerateKey(ECCurve.NamedCurves.nistP256);
            SecureFile.WriteAllText(dir.ServiceAccountKey, key.ExportPkcs8PrivateKeyPem(), SecureFile.Private);
            return key;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new InvalidOperationException($"cannot load the ServiceAccount signing key {dir.ServiceAccountKey}: {e.Message}", e);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}
