using System.Security.Cryptography;
using System.Text;

namespace Berth.ApiServer.Auth;

/// <summary>
/// Checks an <c>Authorization</c> header against the one accepted bearer token. The comparison hashes both sides and
/// compares the digests in constant time, so neither the content nor the length of the token leaks through timing.
/// Immutable and thread-safe.
/// </summary>
/// <remarks>Mirrors the static token authenticator of kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/authentication/request/bearertoken.</remarks>
public sealed class BearerTokenValidator
{
    private const string Scheme = "Bearer ";
    private readonly byte[] expectedDigest;

    public BearerTokenValidator(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        expectedDigest = SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>The token of a <c>Bearer &lt;token&gt;</c> header (scheme case-insensitive, surrounding blanks trimmed); null for anything else.</summary>
    public static string? TokenOf(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var token = authorization.AsSpan(Scheme.Length).Trim();
        return token.IsEmpty ? null : token.ToString();
    }

    /// <summary>True when <paramref name="authorization"/> is exactly <c>Bearer &lt;token&gt;</c> (scheme case-insensitive).</summary>
    public bool IsValid(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var presented = authorization.AsSpan(Scheme.Length).Trim();
        if (presented.IsEmpty)
        {
            return false;
        }
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var utf8 = Encoding.UTF8.GetBytes(presented.ToString());
        SHA256.HashData(utf8, digest);
        return CryptographicOperations.FixedTimeEquals(digest, expectedDigest);
    }
}
