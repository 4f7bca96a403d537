using System.Buffers.Text;
using System.Security.Cryptography;
using Berth.Server.Hosting;

namespace Berth.Server.Auth;

/// <summary>
/// The admin bearer token in <c>DIR/token</c> (mode 0600): 32 random bytes, base64url without padding. Created at
/// first start and reused afterwards, so existing kubeconfigs keep working. Delete the file to rotate it.
/// </summary>
internal static class TokenFile
{
    public const int TokenBytes = 32;

    public static string LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length > 0)
            {
                return existing;
            }
        }
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));
        SecureFile.WriteAllText(path, token + "\n", SecureFile.Private);
        return token;
    }
}
