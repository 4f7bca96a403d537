using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;

namespace Berth.Registry.Core.ServiceAccounts;

/// <summary>
/// Authenticates a bearer token as a ServiceAccount: the token must pass <see cref="ServiceAccountTokenIssuer.ValidateAsync"/>,
/// its ServiceAccount must still exist with the uid in the token, and the pod or secret it is bound to as well
/// (an object whose deletion began more than 60 s ago no longer counts). Reads the objects through
/// <see cref="IApiClient"/> on every call (no cache). Thread-safe.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/serviceaccount/jwt.go (AuthenticateToken) and claims.go (validator.Validate).</remarks>
public sealed class ServiceAccountTokenAuthenticator(IApiClient api, ServiceAccountTokenIssuer issuer, TimeProvider time)
{
    /// <summary>How long after its deletion began a bound object still validates tokens (upstream's leeway).</summary>
    public static readonly TimeSpan DeletionLeeway = TimeSpan.FromSeconds(60);

    /// <summary>The token's claims when it authenticates; null otherwise. Never throws for a bad token.</summary>
    public async Task<ServiceAccountTokenClaims?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        var claims = await issuer.ValidateAsync(token).ConfigureAwait(false);
        if (claims is null)
        {
            return null;
        }
        var ok = await StillExistsAsync(KindRegistry.ServiceAccounts, claims.Namespace,
                new BoundObject(claims.ServiceAccountName, claims.ServiceAccountUid), cancellationToken).ConfigureAwait(false)
            && (claims.Pod is null || await StillExistsAsync(KindRegistry.Pods, claims.Namespace, claims.Pod, cancellationToken).ConfigureAwait(false))
            && (claims.Secret is null || await StillExistsAsync(KindRegistry.Secrets, claims.Namespace, claims.Secret, cancellationToken).ConfigureAwait(false));
        return ok ? claims : null;
    }

    private async Task<bool> StillExistsAsync(ResourceKind kind, string ns, BoundObject expected, CancellationToken cancellationToken)
    {
        JsonObject obj;
        try
        {
            obj = await api.GetAsync(kind, ns, expected.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return false;
        }
        if (obj.GetUid() != expected.Uid)
        {
            return false;
        }
        return obj.GetString("metadata", "deletionTimestamp") is not { } deletion
            || !DateTimeOffset.TryParse(deletion, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            || at + DeletionLeeway > time.GetUtcNow();
    }
}
