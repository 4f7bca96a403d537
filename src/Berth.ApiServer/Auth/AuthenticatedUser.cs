using Berth.Registry.Core.ServiceAccounts;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Auth;

/// <summary>
/// Who a request authenticated as: the administrator of the server's bearer token (the default) or a ServiceAccount
/// (<c>system:serviceaccount:NS:NAME</c>). Set by <see cref="BearerTokenAuthenticationMiddleware"/> on the request's
/// features (or by <see cref="ImpersonationMiddleware"/>), read by the authorizer and the self-review APIs. Immutable.
/// </summary>
/// <remarks>Mirrors k8s.io/apiserver pkg/authentication/user (DefaultInfo) and the extras of pkg/serviceaccount (UserInfo).</remarks>
public sealed record AuthenticatedUser(string Name, IReadOnlyList<string> Groups, IReadOnlyDictionary<string, IReadOnlyList<string>> Extra)
{
    /// <summary>The user's uid, when it has one (an impersonated <c>Impersonate-Uid</c>).</summary>
    public string? Uid { get; init; }

    /// <summary>The identity behind the server's token (the kubeconfig's user).</summary>
    public static readonly AuthenticatedUser Admin = new(SelfReviewEndpoints.UserName, ["system:masters", "system:authenticated"],
        new Dictionary<string, IReadOnlyList<string>>());

    /// <summary>The user a ServiceAccount token stands for, with the bound pod in <c>authentication.kubernetes.io/pod-name|uid</c>.</summary>
    public static AuthenticatedUser From(ServiceAccountTokenClaims claims)
    {
        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (claims.Pod is { } pod)
        {
            extra["authentication.kubernetes.io/pod-name"] = [pod.Name];
            extra["authentication.kubernetes.io/pod-uid"] = [pod.Uid];
        }
        return new AuthenticatedUser(claims.Subject, claims.Groups, extra);
    }

    /// <summary>The user of <paramref name="context"/>; the administrator when the middleware recorded none.</summary>
    public static AuthenticatedUser Of(HttpContext context) => context.Features.Get<AuthenticatedUser>() ?? Admin;

    internal void AttachTo(HttpContext context) => context.Features.Set(this);
}
