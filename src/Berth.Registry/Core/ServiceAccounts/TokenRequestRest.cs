using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.ServiceAccounts;

/// <summary>
/// <c>POST serviceaccounts/{name}/token</c>: checks the TokenRequest (names match the URL, 10 min ≤ expirationSeconds
/// ≤ 2^32, a bound object of kind Pod or Secret that exists, has the given uid and, for a pod, runs as this account),
/// defaults audiences to the API audiences and expirationSeconds to 3600, and answers the request with
/// <c>status.token</c> and <c>status.expirationTimestamp</c>. Nothing is stored. Thread-safe.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/registry/core/serviceaccount/storage/token.go (TokenREST.Create),
/// pkg/apis/authentication/validation (ValidateTokenRequest) and the TokenRequestSpec defaults. No maximum is
/// configured and pod-bound 3607 s tokens are not extended to a year (the kubelet refreshes them).
/// </remarks>
internal sealed class TokenRequestRest(IApiClient api, ServiceAccountTokenIssuer issuer, TimeProvider time)
{
    /// <summary>The kind of the request and reply (authentication.k8s.io/v1, create-only).</summary>
    public static readonly ResourceKind Kind = new("authentication.k8s.io", "v1", "TokenRequest", "tokenrequests", "tokenrequest",
        true, [], [], []);

    public const long DefaultExpirationSeconds = 3600;
    public const long MinExpirationSeconds = 600;
    public const long MaxExpirationSeconds = 1L << 32;

    public async Task<WriteResult> CreateAsync(string ns, string name, JsonObject request, CancellationToken cancellationToken)
    {
        CheckNames(ns, name, request);
        var account = await api.GetAsync(KindRegistry.ServiceAccounts, ns, name, cancellationToken).ConfigureAwait(false);
        var spec = request["spec"] as JsonObject ?? [];
        var audiences = ReadAudiences(spec);
        var expiration = ReadLong(spec, "expirationSeconds") ?? DefaultExpirationSeconds;
        if (Validate(expiration) is { Count: > 0 } errors)
        {
            throw ApiErrors.Invalid(Kind, "", errors);
        }
        var (pod, secret) = await ResolveBoundObjectAsync(ns, name, spec["boundObjectRef"] as JsonObject, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var expires = now.AddSeconds(expiration);
        var claims = new ServiceAccountTokenClaims(ns, name, account.GetUid() ?? "", pod, secret, audiences, now, expires);
        var reply = new JsonObject
        {
            ["kind"] = Kind.Kind,
            ["apiVersion"] = Kind.ApiVersion,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["creationTimestamp"] = MetaTimeText(now) },
            ["spec"] = new JsonObject
            {
                ["audiences"] = new JsonArray(audiences.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
                ["expirationSeconds"] = expiration,
                ["boundObjectRef"] = spec["boundObjectRef"]?.DeepClone(),
            },
            ["status"] = new JsonObject { ["token"] = issuer.Issue(claims), ["expirationTimestamp"] = MetaTimeText(expires) },
        };
        if (reply["spec"]!["boundObjectRef"] is null)
        {
            reply["spec"]!.AsObject().Remove("boundObjectRef");
        }
        return new WriteResult(reply, true, []);
    }

    /// <summary>The static checks of the spec (upstream ValidateTokenRequest); field paths are upstream's.</summary>
    public static IReadOnlyList<FieldError> Validate(long expirationSeconds)
    {
        var errors = new List<FieldError>();
        if (expirationSeconds < MinExpirationSeconds)
        {
            errors.Add(FieldError.Invalid("spec.expirationSeconds", expirationSeconds, "may not specify a duration less than 10 minutes"));
        }
        if (expirationSeconds > MaxExpirationSeconds)
        {
            errors.Add(FieldError.Invalid("spec.expirationSeconds", expirationSeconds, "may not specify a duration larger than 2^32 seconds"));
        }
        return errors;
    }

    private static void CheckNames(string ns, string name, JsonObject request)
    {
        if (request.GetName() is { Length: > 0 } given && given != name)
        {
            throw ApiErrors.Invalid(Kind, name, [FieldError.Invalid("metadata.name", given, "must match the service account name if specified")]);
        }
        if (request.GetNamespace() is { Length: > 0 } givenNs && givenNs != ns)
        {
            throw ApiErrors.Invalid(Kind, name, [FieldError.Invalid("metadata.namespace", givenNs, "must match the service account namespace if specified")]);
        }
    }

    private IReadOnlyList<string> ReadAudiences(JsonObject spec)
    {
        var node = spec["audiences"];
        if (node is null)
        {
            return issuer.ApiAudiences;
        }
        if (node is not JsonArray array || array.Any(a => a is not JsonValue v || !v.TryGetValue<string>(out _)))
        {
            throw ApiErrors.BadRequest("TokenRequest in version \"v1\" cannot be handled as a TokenRequest: spec.audiences must be a list of strings");
        }
        var audiences = array.Select(a => a!.GetValue<string>()).ToList();
        return audiences.Count == 0 ? issuer.ApiAudiences : audiences;
    }

    private static long? ReadLong(JsonObject spec, string field)
    {
        var node = spec[field];
        if (node is null)
        {
            return null;
        }
        return JsonFields.AsLong(node)
            ?? throw ApiErrors.BadRequest($"TokenRequest in version \"v1\" cannot be handled as a TokenRequest: spec.{field} must be an integer");
    }

    /// <summary>The pod or secret the token is bound to, checked as upstream does; (null, null) without a reference.</summary>
    private async Task<(BoundObject? Pod, BoundObject? Secret)> ResolveBoundObjectAsync(string ns, string account, JsonObject? reference,
        CancellationToken cancellationToken)
    {
        if (reference is null)
        {
            return (null, null);
        }
        var kind = reference.GetString("kind") ?? "";
        var apiVersion = reference.GetString("apiVersion") ?? "";
        var refName = reference.GetString("name") ?? "";
        var refUid = reference.GetString("uid") ?? "";
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        var target = (group, kind) switch
        {
            ("", "Pod") => KindRegistry.Pods,
            ("", "Secret") => KindRegistry.Secrets,
            _ => throw ApiErrors.BadRequest($"cannot bind token to object of type {GroupVersionKind(apiVersion, kind)}"),
        };
        var obj = await api.GetAsync(target, ns, refName, cancellationToken).ConfigureAwait(false);
        if (target == KindRegistry.Pods && obj.GetString("spec", "serviceAccountName") != account)
        {
            throw ApiErrors.BadRequest($"cannot bind token for serviceaccount \"{account}\" to pod running with different serviceaccount name.");
        }
        var uid = obj.GetUid() ?? "";
        if (refUid.Length > 0 && refUid != uid)
        {
            throw new ApiException(409, StatusReason.Conflict,
                $"Operation cannot be fulfilled on {kind} \"{refName}\": the UID in the bound object reference ({refUid}) does not match the UID in record. The object might have been deleted and then recreated",
                new k8s.Models.V1StatusDetails { Name = refName, Kind = kind });
        }
        var bound = new BoundObject(refName, uid);
        return target == KindRegistry.Pods ? (bound, null) : (null, bound);
    }

    /// <summary>Go's schema.GroupVersionKind String(): <c>/v1, Kind=Node</c>, <c>apps/v1, Kind=Deployment</c>.</summary>
    private static string GroupVersionKind(string apiVersion, string kind) =>
        (apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion : "/" + apiVersion) + ", Kind=" + kind;

    private static string MetaTimeText(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
