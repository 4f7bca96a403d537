using Berth.ApiServer.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Auth;

/// <summary>
/// Authorizes every authenticated request that is not the administrator's (the bearer token of the kubeconfig, in
/// <c>system:masters</c>, passes untouched: no attribute parsing, no lookup), after authentication and before any
/// handler: its <see cref="RequestAttributes"/> are judged by the <see cref="RbacAuthorizer"/>, and a denial is
/// upstream's 403 Forbidden Status. Requests that arrive before the first RBAC snapshot wait for it.
/// </summary>
/// <remarks>Mirrors k8s.io/apiserver pkg/endpoints/filters/authorization.go (WithAuthorization).</remarks>
public sealed partial class AuthorizationMiddleware(RequestDelegate next, RbacAuthorizer authorizer, ILogger<AuthorizationMiddleware> logger)
{
    /// <summary>The administrator's requests go straight to <c>next</c>, without an async frame of their own.</summary>
    public Task InvokeAsync(HttpContext context) =>
        context.Features.Get<AuthenticatedUser>() is { } user ? AuthorizeAsync(context, user) : next(context);

    private async Task AuthorizeAsync(HttpContext context, AuthenticatedUser user)
    {
        await authorizer.Policy.WhenSyncedAsync(context.RequestAborted).ConfigureAwait(false);
        var attributes = RequestAttributes.From(context.Request, user);
        var decision = authorizer.Authorize(attributes);
        if (decision.Allowed)
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        Log.Denied(logger, user.Name, attributes.Verb, attributes.IsResourceRequest ? attributes.Resource : attributes.Path);
        await StatusWriter.WriteAsync(context, RbacAuthorizer.Forbidden(attributes, decision.Reason)).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1010, EventName = "RequestForbidden", Level = LogLevel.Debug,
            Message = "Forbidden: {User} may not {Verb} {Target}")]
        public static partial void Denied(ILogger logger, string user, string verb, string target);
    }
}
