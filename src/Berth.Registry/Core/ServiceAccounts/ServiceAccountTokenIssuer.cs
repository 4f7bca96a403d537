using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Registry.Core.ServiceAccounts;

/// <summary>
/// Signs ServiceAccount tokens (ES256 JWTs with upstream's claims: <c>iss</c>, <c>sub</c>, <c>aud</c>, <c>exp</c>,
/// <c>iat</c>, <c>nbf</c>, <c>jti</c> and the private <c>kubernetes.io</c> claim) and checks them: signature by this
/// key, issuer, one of the API audiences, and lifetime against the injected clock. Whether the account (and bound
/// object) still exists is <see cref="ServiceAccountTokenAuthenticator"/>'s business. Thread-safe; the key is
/// borrowed (the owner disposes it after the issuer's last use).
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/serviceaccount/jwt.go (JWTTokenGenerator, JWTTokenAuthenticator) and claims.go.</remarks>
public sealed class ServiceAccountTokenIssuer
{
    /// <summary>Upstream's usual <c>--service-account-issuer</c> (kubeadm's default); also the default API audience.</summary>
    public const string DefaultIssuer = "https://kubernetes.default.svc.cluster.local";

    private const string PrivateClaim = "kubernetes.io";
    private readonly ECDsa _ecdsa;
    private readonly TimeProvider _time;
    private Jwt? _jwt;

    public ServiceAccountTokenIssuer(ECDsa key, TimeProvider time, string issuer = DefaultIssuer)
    {
        ArgumentNullException.ThrowIfNull(key);
        Issuer = issuer;
        _ecdsa = key;
        _time = time;
    }

    /// <summary>The <c>kid</c> header of every token: a non-secret fingerprint of the signing key.</summary>
    public string KeyId => Signer.Key.KeyId!;

    /// <summary>
    /// The JWT library's objects, made on the first token issued or checked: a server whose pods mount no token and
    /// whose clients present none never loads the library (~1.5 MiB resident).
    /// </summary>
    private Jwt Signer => LazyInitializer.EnsureInitialized(ref _jwt, () => new Jwt(_ecdsa, _time, Issuer));

    /// <summary>The <c>iss</c> of every token.</summary>
    public string Issuer { get; }

    /// <summary>The audiences a token must name to authenticate to this API server (upstream's <c>--api-audiences</c>).</summary>
    public IReadOnlyList<string> ApiAudiences => [Issuer];

    /// <summary>A signed token for <paramref name="claims"/>; <c>nbf</c> equals <c>iat</c>.</summary>
    public string Issue(ServiceAccountTokenClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            IssuedAt = claims.IssuedAt.UtcDateTime,
            NotBefore = claims.IssuedAt.UtcDateTime,
            Expires = claims.Expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(Signer.Key, SecurityAlgorithms.EcdsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = claims.Subject,
                ["aud"] = claims.Audiences.ToArray(),
                ["jti"] = Guid.NewGuid().ToString(),
                [PrivateClaim] = PrivateClaims(claims),
            },
        };
        return Signer.Handler.CreateToken(descriptor);
    }

    /// <summary>
    /// The claims of <paramref name="token"/> when it is a well-formed token signed by this issuer for an API audience
    /// and valid now; otherwise null. Never throws for bad input.
    /// </summary>
    public async Task<ServiceAccountTokenClaims?> ValidateAsync(string token)
    {
        var signer = Signer;
        if (string.IsNullOrEmpty(token) || !signer.Handler.CanReadToken(token))
        {
            return null;
        }
        var result = await signer.Handler.ValidateTokenAsync(token, signer.Validation).ConfigureAwait(false);
        return result.IsValid && result.SecurityToken is JsonWebToken jwt ? Parse(jwt) : null;
    }

    /// <summary>nbf ≤ now &lt; exp, both required (no leeway).</summary>
    private static bool IsWithin(DateTime? notBefore, DateTime? expires, DateTime now) =>
        expires is { } exp && now < exp && (notBefore is not { } nbf || nbf <= now);

    private static Dictionary<string, object> PrivateClaims(ServiceAccountTokenClaims claims)
    {
        var result = new Dictionary<string, object>
        {
            ["namespace"] = claims.Namespace,
            ["serviceaccount"] = Ref(new BoundObject(claims.ServiceAccountName, claims.ServiceAccountUid)),
        };
        if (claims.Pod is { } pod)
        {
            result["pod"] = Ref(pod);
        }
        if (claims.Secret is { } secret)
        {
            result["secret"] = Ref(secret);
        }
        return result;
    }

    private static Dictionary<string, object> Ref(BoundObject o) => new() { ["name"] = o.Name, ["uid"] = o.Uid };

    /// <summary>Reads the claims from the validated token's payload; null when the private claim is incomplete.</summary>
    private static ServiceAccountTokenClaims? Parse(JsonWebToken jwt)
    {
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload)) as JsonObject;
        if (payload?[PrivateClaim] is not JsonObject k8s || k8s.GetString("namespace") is not { Length: > 0 } ns
            || ReadRef(k8s["serviceaccount"]) is not { } account)
        {
            return null;
        }
        return new ServiceAccountTokenClaims(ns, account.Name, account.Uid, ReadRef(k8s["pod"]), ReadRef(k8s["secret"]),
            jwt.Audiences.ToList(), jwt.IssuedAt, jwt.ValidTo);
    }

    private static BoundObject? ReadRef(JsonNode? node) =>
        node is JsonObject o && o.GetString("name") is { Length: > 0 } name && o.GetString("uid") is { Length: > 0 } uid
            ? new BoundObject(name, uid)
            : null;

    /// <summary>The signing key, the token handler and the validation rules of one issuer.</summary>
    private sealed class Jwt
    {
        public Jwt(ECDsa key, TimeProvider time, string issuer)
        {
            Key = new ECDsaSecurityKey(key) { KeyId = KeyIdOf(key) };
            Validation = new TokenValidationParameters
            {
                ValidIssuer = issuer,
                ValidAudiences = [issuer],
                IssuerSigningKey = Key,
                ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
                RequireExpirationTime = true,
                // Lifetime against the injected clock (the library's own check reads the system clock).
                LifetimeValidator = (notBefore, expires, _, _) => IsWithin(notBefore, expires, time.GetUtcNow().UtcDateTime),
            };
        }

        public ECDsaSecurityKey Key { get; }

        public JsonWebTokenHandler Handler { get; } = new() { SetDefaultTimesOnTokenCreation = false };

        public TokenValidationParameters Validation { get; }

        /// <summary>Upstream's key id: the unpadded base64url SHA-256 of the public key's DER (SubjectPublicKeyInfo).</summary>
        private static string KeyIdOf(ECDsa key) =>
            Base64UrlEncoder.Encode(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
    }
}
