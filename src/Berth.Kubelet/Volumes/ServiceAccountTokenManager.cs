using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Volumes;

/// <summary>
/// Gets ServiceAccount tokens for projected volumes through TokenRequest (bound to the pod) and caches them until
/// they need a refresh: after 80 % of their lifetime, or 24 h after issue, whichever comes first. A failed refresh
/// keeps the cached token while it is still valid. The pod worker re-mounts volumes on every sync (every
/// <c>syncFrequency</c>), which is what drives the refresh. Tokens are never logged. Thread-safe.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/kubelet/token/token_manager.go (GetServiceAccountToken, requiresRefresh, DeleteServiceAccountToken), without its jitter.</remarks>
internal sealed partial class ServiceAccountTokenManager(TimeProvider time, ILogger logger)
{
    /// <summary>The longest a token is used before a refresh, whatever its lifetime (upstream's maxTTL).</summary>
    public static readonly TimeSpan MaxTtl = TimeSpan.FromHours(24);

    private readonly ConcurrentDictionary<Key, CachedToken> _cache = new();

    /// <summary>The token of <paramref name="account"/> for <paramref name="podName"/> (<paramref name="podUid"/>); throws <see cref="ApiException"/> when none can be had.</summary>
    public async Task<string> GetServiceAccountTokenAsync(IApiClient api, string ns, string account, string podName, string podUid,
        string? audience, long expirationSeconds, CancellationToken cancellationToken)
    {
        var key = new Key(ns, account, audience ?? "", expirationSeconds, podUid);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && !RequiresRefresh(cached, now))
        {
            return cached.Token;
        }
        try
        {
            var reply = await api.CreateAsync(KindRegistry.ServiceAccounts, ns, account, "token",
                Request(podName, podUid, audience, expirationSeconds), cancellationToken: cancellationToken).ConfigureAwait(false);
            var fresh = Parse(reply, expirationSeconds, now);
            _cache[key] = fresh;
            Log.Fetched(logger, ns, account, podName, fresh.Expires);
            return fresh.Token;
        }
        catch (ApiException e) when (cached is not null && now < cached.Expires)
        {
            Log.RefreshFailed(logger, ns, account, podName, e.Message);
            return cached.Token;
        }
    }

    /// <summary>Forgets every token bound to the pod (called when its volumes are torn down).</summary>
    public void DeleteServiceAccountToken(string podUid)
    {
        foreach (var key in _cache.Keys.Where(k => k.PodUid == podUid))
        {
            _cache.TryRemove(key, out _);
        }
    }

    /// <summary>The number of cached tokens (for tests and diagnostics).</summary>
    public int Count => _cache.Count;

    /// <summary>True from 80 % of the token's lifetime on, or from <see cref="MaxTtl"/> after its issue.</summary>
    internal static bool RequiresRefresh(CachedToken token, DateTimeOffset now)
    {
        var lifetime = TimeSpan.FromSeconds(token.ExpirationSeconds);
        var issued = token.Expires - lifetime;
        return now >= issued + MaxTtl || now >= token.Expires - lifetime * 0.2;
    }

    private static JsonObject Request(string podName, string podUid, string? audience, long expirationSeconds)
    {
        var spec = new JsonObject
        {
            ["expirationSeconds"] = expirationSeconds,
            ["boundObjectRef"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["name"] = podName, ["uid"] = podUid },
        };
        if (!string.IsNullOrEmpty(audience))
        {
            spec["audiences"] = new JsonArray(audience);
        }
        return new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "TokenRequest", ["spec"] = spec };
    }

    private static CachedToken Parse(JsonObject reply, long requestedSeconds, DateTimeOffset now)
    {
        var token = reply.GetString("status", "token");
        if (string.IsNullOrEmpty(token))
        {
            throw ApiErrors.Internal("the TokenRequest reply has no status.token");
        }
        var seconds = reply.GetLong("spec", "expirationSeconds") ?? requestedSeconds;
        var expires = DateTimeOffset.TryParse(reply.GetString("status", "expirationTimestamp"), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var at) ? at : now.AddSeconds(seconds);
        return new CachedToken(token, expires, seconds);
    }

    internal sealed record CachedToken(string Token, DateTimeOffset Expires, long ExpirationSeconds);

    private sealed record Key(string Namespace, string Account, string Audience, long ExpirationSeconds, string PodUid);

    private static partial class Log
    {
        [LoggerMessage(EventId = 5750, Level = LogLevel.Debug,
            Message = "Got a token of ServiceAccount {Namespace}/{Account} for pod {Pod}, valid until {Expires}")]
        public static partial void Fetched(ILogger logger, string @namespace, string account, string pod, DateTimeOffset expires);

        [LoggerMessage(EventId = 5751, Level = LogLevel.Warning,
            Message = "Refreshing the token of ServiceAccount {Namespace}/{Account} for pod {Pod} failed, the cached one is still valid: {Detail}")]
        public static partial void RefreshFailed(ILogger logger, string @namespace, string account, string pod, string detail);
    }
}
